"""nlu package: our Rasa NLU components.

Importing it registers the spaCy factories the generated pipeline uses (bot.nlp.cued_terms,
bot.nlp.substance_names, bot.nlp.typo_tolerant_ruler), so Rasa's SpacyNLP can load build/spacy_pipeline:
Rasa imports our components from config.yml before it loads spaCy.
"""

import bot.nlp.cued_terms  # noqa: F401 - registers the `cued_terms` spaCy factory
import bot.nlp.substance_names  # noqa: F401 - registers the `substance_names` spaCy factory
import bot.nlp.typo_tolerant_ruler  # noqa: F401 - registers the `typo_tolerant_entity_ruler` spaCy factory
