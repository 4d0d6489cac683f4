"""Rasa NLU component: "forget me", "delete my data", "erase this chat" ask the assistant to forget the person.

Forgetting deletes the conversation everywhere (bot/privacy.py), so the request is recognised from the words
alone, not from a classifier's guess: a verb of deleting applied to the person, their data or this
conversation ("please delete everything I told you", "wipe my info", "i want to be forgotten", "stop storing
my data"). The assistant then asks once for confirmation (data/privacy.yml) before anything is deleted.

Not a request: the same verbs used otherwise ("don't forget my allergy", "forget it", "forget what I said
about oily skin, it's dry", "delete my account" on the shop, "remove me from the mailing list", "do you
delete my data after a while?"). The classifier is trained on the intent too (Rasa's data validation wants
examples), but its guess is dropped unless these words confirm it. The emergency layer runs after this
component and still overrules it.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.deciding_components import IntentDecider
from bot.nlu.message_limits import full_text

FORGET_INTENT = "forget_me"

_DELETE = r"(?:forget|delete|erase|remove|wipe|clear|purge|destroy|scrub|get rid of)"
_DATA = (r"(?:personal |private )?(?:data|info|information|details|profile|history|messages|"
         r"chats?|conversations?|chat history|conversation history|records?|answers)")
_THIS_CHAT = (r"(?:this|our|the|that|my|whole|entire|this whole|this entire|the whole|the entire) "
              r"(?:conversation|chat|chat history|conversation history|thread|transcript|messages)")
_TOLD = r"i (?:have |'ve |ve )?(?:told|said to|gave|given|shared with|sent) (?:you|u)"
_ME = r"me(?! from (?!your (?:system|database|records|servers?)))"  # not "remove me from the mailing list"
_WHAT_IS_ME = (rf"(?:{_ME}|about me|all about me|(?:all |all of |any of |everything of )?my {_DATA}|{_THIS_CHAT}|"
               rf"everything(?: (?:about me|{_TOLD}|i (?:have |'ve |ve )?(?:said|shared|typed|written)(?: here)?))?|"
               rf"all (?:of )?(?:this|that|it)|all (?:the |of the )?(?:data|info|information) (?:about|on|of) me|"
               rf"(?:what|whatever|anything|all) {_TOLD}|"
               rf"(?:what|whatever|anything|everything) (?:you (?:know|have|hold|store|keep|remember) "
               rf"(?:about|on|of) me))")
_PLEASE = r"(?:please |pls |plz |kindly |now |just )?"
_REQUESTS = (
    # "forget me", "please delete my data", "can you wipe this chat", "i want you to erase everything"
    re.compile(rf"\b{_DELETE} {_PLEASE}{_WHAT_IS_ME}(?![\w'])"),
    # "i want my data deleted", "get my info removed", "have this chat erased"
    re.compile(rf"\b(?:want|need|like|get|have) (?:{_THIS_CHAT}|my {_DATA}|everything(?: about me)?|"
               r"all my (?:data|info|information)) (?:to be )?(?:deleted|erased|removed|wiped|cleared|purged|"
               r"forgotten|destroyed)\b"),
    # "i want to be forgotten", "right to be forgotten", "right to erasure"
    re.compile(r"\b(?:want|wish|like|ask|asking) to be forgotten\b|\bright to (?:be forgotten|erasure)\b"),
    # "stop storing my data", "don't keep my details"
    re.compile(rf"\b(?:stop|don't|dont|do not) (?:storing|keeping|saving|store|keep|save|remembering|remember) "
               rf"(?:my {_DATA}|{_THIS_CHAT}|anything (?:about me|{_TOLD})|what {_TOLD})\b"),
)
#: A deleting verb that is denied ("don't forget...", "never delete..."), or a question about what the
#: assistant does anyway ("do you delete my data after a while?"), is not a request.
_NOT_A_REQUEST = re.compile(
    rf"\b(?:don't|dont|do not|never|won't|wont|will not|shouldn't|should not|didn't|did not|not) "
    rf"(?:\w+ ){{0,2}}{_DELETE}\b"
    rf"|\b(?:do|does|did|will|would|how long|when) (?:you|it|the (?:bot|assistant|chat)|they|u) "
    rf"(?:ever |automatically |still |normally )?(?:{_DELETE}|keep|store|save)\w*\b.*\?")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})


def asks_to_be_forgotten(text: str) -> bool:
    """Whether ``text`` asks the assistant to forget the person, their data or this conversation."""
    words = " ".join(text.translate(_APOSTROPHES).casefold().split())
    if not any(pattern.search(words) for pattern in _REQUESTS):
        return False
    return not _NOT_A_REQUEST.search(words)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ForgetRequestDetector(IntentDecider):
    """Sets `forget_me` on messages that ask to be forgotten, and only on those."""

    def process(self, messages: list[Message]) -> list[Message]:
        """Mark each request to be forgotten; drop the classifier's `forget_me` from every other message."""
        for message in messages:
            text = full_text(message)
            if not text.strip() or text.startswith("/"):  # button payloads are intents already
                continue
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != FORGET_INTENT]
            if asks_to_be_forgotten(text):
                intent = {INTENT_NAME_KEY: FORGET_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
                continue
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == FORGET_INTENT:
                message.set(INTENT, self.best_or_fallback(ranking), add_to_output=True)
            if len(ranking) != len(message.get(INTENT_RANKING_KEY) or []):
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
