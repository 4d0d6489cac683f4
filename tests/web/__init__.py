"""Tests of the website widget, the web server and the widget's socket.io channel."""
