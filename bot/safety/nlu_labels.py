"""The names the emergency layer writes into a parsed message, shared by the NLU component
(bot.nlu.red_flags) and the actions that read them (actions.safety): one definition of each."""

from __future__ import annotations

#: The detector found an emergency: first aid for `EMERGENCY_KIND_ENTITY` in `EMERGENCY_LANGUAGE_ENTITY`.
RED_FLAG_INTENT = "red_flag"
#: The detector is unsure: ask the triage question before answering.
POSSIBLE_EMERGENCY_INTENT = "possible_emergency"
#: Not an emergency, and not written in English: say which languages the assistant understands.
OTHER_LANGUAGE_INTENT = "other_language"
#: Intents only the emergency layer may set; a classifier's guess of one of them never stands.
SAFETY_INTENTS = frozenset({RED_FLAG_INTENT, POSSIBLE_EMERGENCY_INTENT, OTHER_LANGUAGE_INTENT})

#: Entities (and the slots they fill, of the same names) added to emergency and triage messages.
EMERGENCY_KIND_ENTITY = "emergency_kind"
EMERGENCY_LANGUAGE_ENTITY = "emergency_language"
EMERGENCY_ENTITIES = frozenset({EMERGENCY_KIND_ENTITY, EMERGENCY_LANGUAGE_ENTITY})

#: Key of the parse data holding the verdict, kind, language, evidence and the intent it replaced.
SAFETY_PARSE_KEY = "safety"
#: Inside SAFETY_PARSE_KEY: the intent the classifiers predicted before the emergency layer decided.
REPLACED_INTENT_KEY = "replaced_intent"

#: Kind assumed when the detector names none (the triage question asks about anaphylaxis signs).
DEFAULT_KIND = "anaphylaxis"

#: The action that opens the urgent ticket after the emergency reply (a domain response). It says
#: nothing: if the action server is down, the reply has already gone out and the web server's
#: reconciler (bot/triage/emergency_tickets.py) writes the ticket later, so no apology may follow it.
OPEN_EMERGENCY_TICKET_ACTION = "action_open_emergency_ticket"
