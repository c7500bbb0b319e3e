# SPDX-License-Identifier: GPL-3.0-or-later
"""The test bed of the e-onay GUI test: pcscd under the shared lock, and
finding things in dialogs.  The same as tests/gui-card/test_gui_card.py
does, which cannot be imported (it reads its own environment on import)."""

import ctypes
import fcntl
import os
import signal
import socket
import subprocess

import eimza_gui as g
from eimza_gui import log, wait_for

PCSCD = "/usr/sbin/pcscd"
PCSCD_SOCKET = "/run/pcscd/pcscd.comm"


class PcscdLock:
    """The flock every test that starts pcscd takes (pcsc-testbed.h)."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        log("waiting for the pcscd test lock %s" % path)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        log("holding the pcscd test lock")

    def release(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def pcscd_socket_is_live():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(PCSCD_SOCKET)
        return True
    except OSError:
        return False
    finally:
        s.close()


def _die_with_parent():
    # PR_SET_PDEATHSIG = 1: a pcscd left behind would hold the one socket.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


class Pcscd:
    def __init__(self, artifacts):
        self.proc = None
        self.log_path = os.path.join(artifacts, "pcscd.log")

    def start(self, timeout=10.0):
        log("starting pcscd")
        self._log = open(self.log_path, "a")
        self.proc = subprocess.Popen([PCSCD, "--foreground"], stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=self._log,
                                     preexec_fn=_die_with_parent)
        wait_for(pcscd_socket_is_live, "pcscd to listen on %s" % PCSCD_SOCKET, timeout)
        return self

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            log("stopping pcscd (pid %d)" % self.proc.pid)
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def walk_all(node, depth=0):
    """Everything below node that is showing (dialogs, popovers included)."""
    if depth > 60:
        return
    try:
        count = node.childCount
    except Exception:
        return
    for i in range(count):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        if child is None or not g.is_showing(child):
            continue
        yield child
        yield from walk_all(child, depth + 1)


def matches(node, role, name):
    try:
        if role is not None and node.roleName != role:
            return False
        if name is None:
            return True
        n = node.name or ""
        return bool(name.search(n)) if hasattr(name, "search") else n == name
    except Exception:
        return False


def find_in(parent, role, name, timeout=g.DEFAULT_TIMEOUT, what=None):
    """The one showing node below parent with this role and name."""
    def one():
        nodes = [n for n in walk_all(parent) if matches(n, role, name)]
        if len(nodes) > 1:
            raise g.GuiTestError("%d nodes [%s | %r]" % (len(nodes), role, name))
        return nodes[0] if nodes else None

    return wait_for(one, what or "[%s | %r]" % (role, getattr(name, "pattern", name)), timeout)


def find_all_in(parent, role, name=None):
    return [n for n in walk_all(parent) if matches(n, role, name)]


def texts_in(parent):
    out = []
    for n in walk_all(parent):
        try:
            if n.roleName == "label":
                ti = n.queryText()
                out.append(ti.getText(0, ti.characterCount))
        except Exception:
            continue
    return out
