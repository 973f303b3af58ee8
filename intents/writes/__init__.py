"""Writes from chat: roles, progress logging, meetings, grants, the commands that do them."""
