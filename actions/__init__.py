"""Thin Rasa actions: read the tracker, call one function of the ``bot`` package, respond.

The action server (``python -m rasa_sdk --actions actions``) imports every module here.
"""

from actions import contract, control, form, language, lifecycle  # noqa: F401  (registers the actions)
