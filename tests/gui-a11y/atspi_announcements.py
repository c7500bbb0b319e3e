#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Listens on the a11y bus, as a screen reader does, and writes one line per
announcement of the app with the pid given: a JSON object with the time,
the event and the new text of a live region (an object with the attribute
live=polite or assertive, or the role notification) whose text (its
accessible name) changed, and one line each time such a region is shown
anew.  Runs until killed; test_gui_a11y.py reads its output."""

import json
import sys
import time

import pyatspi

PID = int(sys.argv[1])
OUT = open(sys.argv[2], "a", buffering=1, encoding="utf-8")


def is_live(source):
    try:
        if source.getRole() == pyatspi.ROLE_NOTIFICATION:
            return True
        attrs = dict(a.split(":", 1) for a in source.getAttributes() if ":" in a)
        return attrs.get("live", attrs.get("container-live", "off")) in ("polite", "assertive")
    except Exception:
        return False


def on_event(event):
    source = event.source
    try:
        if source.get_process_id() != PID:
            return
        if not is_live(source):
            return
        # The new text comes with the event: read later, it may have
        # changed again.
        if event.type.startswith("object:property-change:accessible-name"):
            text = str(event.any_data or "")
            if text:
                OUT.write(json.dumps({"time": time.monotonic(), "event": event.type,
                                      "role": source.getRoleName(), "text": text}) + "\n")
        elif event.type.startswith("object:state-changed:showing") and event.detail1:
            OUT.write(json.dumps({"time": time.monotonic(), "event": event.type,
                                  "role": source.getRoleName()}) + "\n")
    except Exception as exc:  # an object gone meanwhile
        OUT.write(json.dumps({"time": time.monotonic(), "error": str(exc)}) + "\n")


pyatspi.Registry.registerEventListener(on_event, "object:property-change:accessible-name",
                                       "object:state-changed:showing")
OUT.write(json.dumps({"time": time.monotonic(), "event": "listening"}) + "\n")
pyatspi.Registry.start()
