"""Answers to questions: one module per intent, plain functions of the store and what was understood."""
