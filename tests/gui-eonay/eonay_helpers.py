# SPDX-License-Identifier: GPL-3.0-or-later
"""Moved to tests/gui/card_gui.py; only tests/gui-demo still imports this
name.  Delete once it imports card_gui."""

from card_gui import (  # noqa: F401
    Pcscd, PcscdLock, pcscd_socket_is_live, walk_all, matches, find_in, find_all_in, texts_in)
