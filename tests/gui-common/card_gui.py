# SPDX-License-Identifier: GPL-3.0-or-later
"""What the GUI tests with a card share (tests/gui-card, gui-eonay, gui-esign,
gui-jnlp): the UI's language, the test bed (pcscd under the shared lock,
vpcd's virtual card, a SoftHSM2 token), the simulator's NES site, finding
things in dialogs and popovers, the PIN dialog, and checking the signatures
the simulator accepted with openssl.

pcscd listens on the one socket /run/pcscd/pcscd.comm, so a test holds the
lock /tmp/eimza-pcscd-tests.lock (as tests/card/pcsc-testbed.c does) from
before it starts pcscd until after it has stopped it.

Import eimza_gui first (it sets dogtail up); a test subclasses CardGuiTest.
"""

import ctypes
import fcntl
import os
import re
import signal
import socket
import subprocess
import time

import eimza_gui as g
from eimza_gui import check, log, wait_for
from dogtail import rawinput

import vpcd_card

HERE = os.path.dirname(os.path.abspath(__file__))
BUILDDIR = os.environ["EIMZA_BUILDDIR"]
SRCDIR = os.environ.get("EIMZA_SRCDIR", os.path.join(HERE, "..", ".."))
LOCK_PATH = os.environ.get("EIMZA_PCSCD_LOCK") or "/tmp/eimza-pcscd-tests.lock"
PCSCD = "/usr/sbin/pcscd"
PCSCD_SOCKET = "/run/pcscd/pcscd.comm"
SOFTHSM_MODULE = os.environ.get("SOFTHSM2_MODULE", "/usr/lib/softhsm/libsofthsm2.so")

# The person of tests/card/softhsm-setup.sh's token.
USER_PIN = "123456"
WRONG_PIN = "654321"
TCKN = "10000000146"
HOLDER = "AHMET YILMAZ"

# -- the UI's language ---------------------------------------------------------

from translations import LANG, TURKISH, LOCALE_ENV, _catalogue, strip_mnemonic, _  # noqa: E402,F401


def starts(text):
    """A regex for a label that begins with the translation of text."""
    return re.compile(r"^" + re.escape(_(text)))


def pin_title():
    """The PIN dialog's title ("Card PIN", "Card PIN: Last Try")."""
    return re.compile(r"^%s" % re.escape(_("Card PIN")))


def app_env(token_dir):
    """The app's environment: the UI's language, the token, and the sanitizer
    options gui-env.sh chose for the app."""
    env = dict(LOCALE_ENV)
    env["SOFTHSM2_CONF"] = os.path.join(token_dir, "softhsm2.conf")
    env.update(g.app_sanitizer_env())
    return env


# -- the test bed --------------------------------------------------------------

libc = ctypes.CDLL("libc.so.6", use_errno=True)


class PcscdLock:
    """The flock every test that starts pcscd takes (pcsc-testbed.h)."""

    def __init__(self, path=LOCK_PATH):
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
    libc.prctl(1, signal.SIGTERM)


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


def make_token(scratch, second_person=False):
    """softhsm-setup.sh: a throwaway CA and the token "EIMZA TEST" in
    SCRATCH/softhsm; with second_person, also another person's certificate
    (EIMZA_SOFTHSM_SECOND_PERSON)."""
    token_dir = os.path.join(scratch, "softhsm")
    log("making the SoftHSM2 token in %s" % token_dir)
    env = dict(os.environ)
    if second_person:
        env["EIMZA_SOFTHSM_SECOND_PERSON"] = "1"
    subprocess.run(["sh", os.path.join(SRCDIR, "tests", "card", "softhsm-setup.sh"), token_dir],
                   check=True, stdin=subprocess.DEVNULL, env=env)
    return token_dir


class NesSim(g.PortalSim):
    """The simulator with its NES site (--nes-client-ca CLIENT_CA) and, with
    signature_log, a copy of every signature it accepts with the bytes it
    signs (--signature-log WORKDIR/NAME-signatures); also reads the
    "listening-nes" line."""

    def __init__(self, binary, workdir, name, client_ca, args=(), signature_log=True):
        extra = ["--nes-client-ca", client_ca]
        self.signature_dir = None
        if signature_log:
            self.signature_dir = os.path.join(workdir, name + "-signatures")
            os.makedirs(self.signature_dir, exist_ok=True)
            extra += ["--signature-log", self.signature_dir]
        super().__init__(binary, workdir, name, args=extra + list(args))
        self.nes_url = None

    def start(self, timeout=20.0):
        super().start(timeout)
        # The line may already be in the pipe's buffer (read with the first
        # one), where select() does not see it; the simulator prints it
        # right after the first, or exits (EOF).
        line = self.proc.stdout.readline().strip()
        m = re.match(r"^listening-nes (https://127\.0\.0\.1:[0-9]+)/$", line)
        if not m:
            self.stop()
            raise g.GuiTestError("the simulator printed %r, not its NES line" % line)
        self.nes_url = m.group(1)
        log("NES site of %s at %s" % (self.name, self.nes_url))
        # With --sifreli-giris, Şifreli Giriş's own listener comes next.
        self.sifreli_url = None
        if "--sifreli-giris" in self.args:
            line = self.proc.stdout.readline().strip()
            m = re.match(r"^listening-nes-sifreli (https://127\.0\.0\.1:[0-9]+)/$", line)
            if not m:
                self.stop()
                raise g.GuiTestError("the simulator printed %r, not its Şifreli Giriş line"
                                     % line)
            self.sifreli_url = m.group(1)
        return self


def verify_signature(path, ca_file):
    """The simulator's copy of a signature (NNN-KIND.cms, DER) checked with
    openssl on its own, against the test CA, over the exact bytes handed out
    (NNN-KIND.content).  Returns the content's path."""
    content = path[:-len(".cms")] + ".content"
    result = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER",
                             "-in", path, "-content", content, "-CAfile", ca_file,
                             "-purpose", "any", "-out", os.devnull],
                            capture_output=True, text=True)
    check(result.returncode == 0, "openssl cms -verify %s: %s" % (path, result.stderr.strip()))
    return content


def check_cades_bes(path):
    signer = subprocess.run(["openssl", "cms", "-cmsout", "-print", "-inform", "DER",
                             "-in", path], capture_output=True, text=True).stdout
    check("signingCertificateV2" in signer or "id-smime-aa-signingCertificateV2" in signer,
          "%s is not CAdES-BES (no signing-certificate-v2)" % path)


# -- finding things in dialogs and popovers ------------------------------------

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


# -- a test with a card ----------------------------------------------------------

class CardGuiTest:
    """The test bed's life cycle and the app's windows and PIN dialog; a
    suite adds its steps."""

    # The failure evidence also has a shot of the app's window.
    failure_window_shot = False

    def __init__(self, artifacts):
        self.lock = None
        self.pcscd = Pcscd(artifacts)
        self.card = None
        self.app = None
        self.sims = []
        self.token_dir = None
        g.secret_canary.secret("PIN", USER_PIN)
        g.secret_canary.secret("T.C. Kimlik No", TCKN)
        g.secret_canary.name(HOLDER)

    # -- the test bed -----------------------------------------------------------

    def lock_pcscd(self, what):
        """Take the pcscd lock; fail if a pcscd of someone else is running."""
        self.lock = PcscdLock(LOCK_PATH)
        if pcscd_socket_is_live():
            raise g.GuiTestError("a pcscd that this test did not start is running "
                                 "(see /run/pcscd/pcscd.pid); stop it to run %s" % what)

    def make_token(self, scratch, second_person=False):
        self.token_dir = make_token(scratch, second_person)
        return self.token_dir

    def start_reader(self):
        """pcscd with vpcd's readers, the virtual card in the first."""
        self.pcscd.start()
        self.card = vpcd_card.VirtualCard().insert()

    def test_ca(self):
        return os.path.join(self.token_dir, "testca.pem")

    # -- the app's windows --------------------------------------------------------

    def top_windows(self):
        root = self.app.root
        out = []
        for i in range(root.childCount):
            w = root.getChildAtIndex(i)
            if w is not None and g.is_showing(w):
                out.append(w)
        return out

    def showing_top(self, role, name):
        for w in self.top_windows():
            if matches(w, role, name):
                return w
        return None

    def top(self, role, name, timeout=g.DEFAULT_TIMEOUT):
        """A top-level window of the app (the main frame or a dialog)."""
        return wait_for(lambda: self.showing_top(role, name),
                        "the window [%s | %r]" % (role, getattr(name, "pattern", name)), timeout)

    def top_gone(self, role, name, timeout=g.DEFAULT_TIMEOUT):
        wait_for(lambda: self.showing_top(role, name) is None,
                 "the window [%s | %r] to close" % (role, getattr(name, "pattern", name)), timeout)

    def window_texts(self):
        return texts_in(self.app.window)

    def wait_text(self, pattern, what, timeout=g.DEFAULT_TIMEOUT):
        """Wait for a text of window_texts() equal to pattern (or a regex's
        match); return it."""
        def found():
            for t in self.window_texts():
                if (pattern.search(t) if hasattr(pattern, "search") else t == pattern):
                    return t
            return None

        try:
            return wait_for(found, what, timeout)
        except g.GuiTestError:
            log("window texts: %r" % self.window_texts())
            raise

    def screenshot_root(self, label):
        """A shot of the whole screen (dialogs and popovers included)."""
        self.app.shot_count += 1
        path = os.path.join(self.app.artifacts, "%s-%02d-%s.png"
                            % (self.app.name, self.app.shot_count, label))
        time.sleep(0.4)
        subprocess.run(["import", "-window", "root", path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log("screenshot %s" % path)
        return path

    screenshot = screenshot_root

    def wait_sensitive(self, node, what, timeout=g.DEFAULT_TIMEOUT, sensitive=True):
        wait_for(lambda: g.is_sensitive(node) == sensitive, what, timeout)

    # -- the PIN dialog -------------------------------------------------------------

    def type_secret(self, entry, text):
        """Type into a password entry; AT-SPI shows only bullets, so count them."""
        self.app.focus(entry)
        rawinput.typeText(text)
        wait_for(lambda: entry.queryText().characterCount == len(text),
                 "the PIN entry to hold %d characters" % len(text))

    def step_button(self, label, timeout=g.DEFAULT_TIMEOUT):
        """A push button of the page in the main window."""
        return find_in(self.app.window, "push button", _(label), timeout=timeout)

    def sign_step_sign(self):
        """The signing step's İmzala."""
        return self.step_button("_Sign", timeout=30)

    def pin_dialog(self, timeout=30):
        return self.top("dialog", pin_title(), timeout=timeout)

    def enter_pin(self, pin, screenshot=None, expect_text=None, wait_gone=True, accept="_Sign",
                  dialog=None, confirm=None, gone_timeout=g.DEFAULT_TIMEOUT):
        """Type pin into the PIN dialog (dialog, or the one that shows) and
        press accept (a label, or a regex of the shown names); screenshot
        (a label) once typed.  expect_text: a text the dialog must show
        first.  confirm: the check box that must be ticked before accept is
        sensitive (the last try).  wait_gone: wait for the dialog to close,
        else only for it to take the PIN."""
        if dialog is None:
            dialog = self.pin_dialog()
        if expect_text is not None:
            wait_for(lambda: expect_text in texts_in(dialog),
                     "the PIN dialog to say %r (says %r)" % (expect_text, texts_in(dialog)))
        entry = find_in(dialog, "password text", _("PIN"))
        sign = find_in(dialog, "push button", accept if hasattr(accept, "search") else _(accept))
        self.type_secret(entry, pin)
        if confirm is not None:
            check(not g.is_sensitive(sign),
                  "Sign must stay insensitive on the last try until the box is ticked")
        if screenshot:
            self.screenshot_root(screenshot)
        if confirm is not None:
            self.app.click(find_in(dialog, "check box", _(confirm)))
        wait_for(lambda: g.is_sensitive(sign), "the PIN dialog's Sign button to become sensitive")
        self.app.click(sign)
        if wait_gone:
            self.top_gone("dialog", pin_title(), timeout=gone_timeout)
        else:
            wait_for(lambda: not g.is_showing(dialog) or not g.is_sensitive(entry) or
                     entry.queryText().characterCount == 0, "the PIN dialog to take the PIN")

    # -- the end ----------------------------------------------------------------------

    def final_quit(self):
        try:
            if self.app is not None:
                status = self.app.quit()
                check(status == 0, "the app exited with status %s; stderr:\n%s"
                      % (status, self.app.stderr_tail()))
                self.app.check_stderr()
        finally:
            if self.card is not None:
                self.card.remove()
            for sim in self.sims:
                sim.stop()
            self.pcscd.stop()
            if self.lock is not None:
                self.lock.release()

    def on_failure(self):
        if self.app is None:
            return
        try:
            if self.failure_window_shot:
                self.app.screenshot("failure")
            self.screenshot_root("failure-screen")
            self.app.dump("failure")
        except Exception as exc:
            log("could not save the failure evidence: %s" % exc)
        log("app stderr (tail):\n" + self.app.stderr_tail())
