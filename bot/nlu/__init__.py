"""nlu package: our Rasa NLU components.

Importing it registers the spaCy factory the generated pipeline uses (bot.nlp.substance_names), so Rasa's
SpacyNLP can load build/spacy_pipeline: Rasa imports our components from config.yml before it loads spaCy.
"""

import bot.nlp.substance_names  # noqa: F401 - registers the `substance_names` spaCy factory
