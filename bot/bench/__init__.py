"""`make bench`: our assistant against a stock `rasa init` bot (run `python -m bot.bench`)."""
