#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Demo GUI test: `eimza-asistan --demo`, walked as a person would, through
AT-SPI, in Turkish, with no pcscd, no card and no portal of its own.

First a machine without softhsm2 (PATH without softhsm2-util): the demo
starts, the badge's popover says what to install, the card status does not
pretend there is a card, and Ctrl+Q removes everything.

Then the full demo: it starts the portal simulator and makes its throwaway
SoftHSM2 card in a private temporary directory.  The header bar has the
"Demo" badge; its popover names the demo person and the virtual card's PIN.
The card status says "Virtual card · 1 certificate".  The renewal is
walked: sign-in as the demo person, the form, the SMS code read from the
badge, the signing method (the card offered; no e-onay yet).  Then the test
signature in Certificates with the badge's PIN verifies, and e-onay is given
with the virtual card (login signature, commitment, signature: active).
Ctrl+Q quits; the private directory and the simulator are gone.

The captcha is read as in tests/gui: the demo honours
EIMZA_DEMO_TEST_CAPTCHA_LOG (tests only) and has its simulator write each
captcha's text to that file.

Run through run-gui-demo-test.sh (meson test --suite gui-demo).
"""

import glob
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

SCRATCH = os.environ["EIMZA_GUI_DEMO_SCRATCH"]

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402
from dogtail import rawinput  # noqa: E402

import renewal_form as form  # noqa: E402  (what a person types in the form)
import translations as tr  # noqa: E402
import card_gui as cg  # noqa: E402
from card_gui import find_in, find_all_in, texts_in, matches  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
SRCDIR = os.environ.get("EIMZA_SRCDIR", os.path.join(HERE, "..", ".."))
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-demo-artifacts"))
LANG = os.environ.get("EIMZA_GUI_LANG", "tr")
_ = cg._

# The demo person (tools/demo/eimza-demo-card, one line of
# tools/portal-sim/fixtures/mernis.tsv): e-onay not active, no previous
# application.
DEMO_PERSON = {
    "tckn": "10000000214",
    "given": "Mehmet Çağrı",
    "surname": "Öztürk",
    "place": "İzmir",
    "date": "02.11.1978",
}
HOLDER = "MEHMET ÇAĞRI ÖZTÜRK"
# The badge's name for the security word: the catalogue's exact msgid (the
# form's "_Security word" must not stand in for it).
SECURITY_WORD_FACT = cg._catalogue.gettext("Security word")
TOKEN_LABEL = "E-IMZA DEMO"


def fixture_person(tckn):
    path = os.path.join(SRCDIR, "tools", "portal-sim", "fixtures", "mernis.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields and fields[0] == tckn:
                return fields
    return None


def children_of(pid):
    """[(pid, argv)] of the processes whose parent is pid."""
    out = []
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) != pid:
                continue
            child = int(stat.split("/")[2])
            with open("/proc/%d/cmdline" % child, "rb") as f:
                argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
            out.append((child, argv))
        except (OSError, IndexError, ValueError):
            continue
    return out


def process_alive(pid):
    """Whether pid runs (a zombie does not count)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def path_without(tool, where):
    """A directory of links to every program on PATH but tool: a machine
    where that package is not installed."""
    os.makedirs(where, exist_ok=True)
    for d in os.environ.get("PATH", "/usr/bin:/bin").split(":"):
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            link = os.path.join(where, name)
            if name != tool and not os.path.lexists(link):
                os.symlink(os.path.join(d, name), link)
    return where


class DemoTest(cg.CardGuiTest):
    """The card suites' helpers (PIN dialog, signing step), driving a demo
    app."""

    def __init__(self, name, extra_env=None):
        super().__init__(ARTIFACTS)
        self.name = name
        self.tmpdir = os.path.join(SCRATCH, name + "-tmp")
        self.captcha_log = os.path.join(SCRATCH, name + "-captcha.txt")
        self.extra_env = extra_env or {}
        self.demo_dir = None
        self.sim_pid = None
        self.facts = {}
        self.last_captcha = None

    # -- the demo app ------------------------------------------------------

    def start_demo(self):
        os.makedirs(self.tmpdir, mode=0o700, exist_ok=True)
        env = dict(cg.LOCALE_ENV)
        env.update({
            "TMPDIR": self.tmpdir,
            "EIMZA_DEMO_TEST_CAPTCHA_LOG": self.captcha_log,
            # No pcscd for the demo: a card that another test puts into a
            # virtual reader must not show up here either.
            "PCSCLITE_CSOCK_NAME": os.path.join(SCRATCH, "no-pcscd.comm"),
        })
        env.update(g.app_sanitizer_env())
        env.update(self.extra_env)
        self.app = g.App(APP, ARTIFACTS, self.name, env=env, args=["--demo"])
        self.app.start()

        dirs = glob.glob(os.path.join(self.tmpdir, "eimza-demo-*"))
        check(len(dirs) == 1, "expected one demo directory in %s, found %r" % (self.tmpdir, dirs))
        self.demo_dir = dirs[0]
        mode = os.stat(self.demo_dir).st_mode & 0o777
        check(mode == 0o700, "the demo directory is %o, not private (700)" % mode)
        sims = [(pid, argv) for pid, argv in children_of(self.app.proc.pid)
                if argv and os.path.basename(argv[0]) == "eimza-portal-sim"]
        check(len(sims) == 1, "expected one simulator started by the app, found %r" % sims)
        self.sim_pid, argv = sims[0]
        check(any(a.startswith(self.demo_dir + os.sep) for a in argv),
              "the simulator does not keep its files in the demo directory: %r" % argv)
        log("demo directory %s, simulator pid %d" % (self.demo_dir, self.sim_pid))

    def badge(self):
        return find_in(self.app.window, "toggle button", _("Demo"), what="the Demo badge")

    def open_badge(self):
        """Open the badge's popover; return {fact name: value} read from it."""
        self.app.click(self.badge())
        title = find_in(self.app.root, "label", _("Demonstration"),
                        what="the badge's popover")
        popover = title.parent
        facts = {}
        for label in find_all_in(popover, "label"):
            for rel in label.getRelationSet():
                if rel.getRelationType() == g.pyatspi.RELATION_LABEL_FOR:
                    facts[label.name] = self.app.text_of(rel.getTarget(0))
        self.popover_texts = texts_in(popover)
        log("the badge's popover: %r" % sorted(facts))
        return facts

    def close_badge(self):
        rawinput.pressKey("Escape")
        wait_for(lambda: not find_all_in(self.app.root, "label", _("Demonstration")),
                 "the badge's popover to close")

    def status_button(self):
        """The header bar's card status: the toggle button that is neither
        the main menu nor the Demo badge."""
        others = (_("Main Menu"), _("Demo"))

        def one():
            nodes = [n for n in find_all_in(self.app.window, "toggle button")
                     if n.name not in others]
            check(len(nodes) <= 1, "%d card status buttons" % len(nodes))
            return nodes[0] if nodes else None

        return wait_for(one, "the card status button")

    def quit_with_ctrl_q(self, strict=True):
        """Ctrl+Q, as a person quits; then the demo's files and simulator
        must be gone. Not strict (after a failure): dialogs are closed
        first, and SIGTERM follows if Ctrl+Q does nothing."""
        proc = self.app.proc
        if not strict:
            for _i in range(3):
                rawinput.pressKey("Escape")
                time.sleep(0.2)
        # The keys go to the window under the pointer (no window manager).
        x, y, w, h = self.app.extents(self.app.window)
        rawinput.absoluteMotion(x + w // 2, y + h - 10)
        rawinput.keyCombo("<Control>q")
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            if strict:
                raise g.GuiTestError("the app did not quit on Ctrl+Q")
            log("the app did not quit on Ctrl+Q; SIGTERM")
        status = self.app.quit()
        check(status == 0, "the app exited with status %s; stderr:\n%s"
              % (status, self.app.stderr_tail()))
        self.app.check_stderr()
        check(not os.path.lexists(self.demo_dir),
              "the demo directory %s is still there after the app quit" % self.demo_dir)
        check(not glob.glob(os.path.join(self.tmpdir, "eimza-demo-*")),
              "something of the demo is left in %s" % self.tmpdir)
        wait_for(lambda: not process_alive(self.sim_pid),
                 "the demo's simulator (pid %d) to end" % self.sim_pid, 5)
        left = [pid for pid in (int(p.split("/")[2]) for p in glob.glob("/proc/[0-9]*/cmdline"))
                if self._cmdline_mentions(pid, self.demo_dir)]
        check(not left, "processes of the demo remain: %r" % left)
        self.app = None

    @staticmethod
    def _cmdline_mentions(pid, text):
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                return text.encode() in f.read() and process_alive(pid)
        except OSError:
            return False

    # -- case 1: with the virtual card -------------------------------------

    def step_start(self):
        self.start_demo()
        self.screenshot("welcome")

    def step_badge(self):
        badge = self.badge()
        check(badge.name == _("Demo"), "the badge's accessible name is %r" % badge.name)
        check(g.is_sensitive(badge), "the Demo badge is insensitive")
        self.facts = self.open_badge()
        self.screenshot("badge-popover")
        expect = {
            _("Name"): DEMO_PERSON["given"],
            _("Surname"): DEMO_PERSON["surname"],
            _("T.C. Kimlik No"): DEMO_PERSON["tckn"],
            _("Place of birth"): DEMO_PERSON["place"],
            _("Date of birth"): DEMO_PERSON["date"],
            _("Virtual card"): TOKEN_LABEL,
            _("Last SMS code"): _("None sent yet"),
        }
        for name, value in expect.items():
            check(self.facts.get(name) == value, "the popover's %r is %r, not %r"
                  % (name, self.facts.get(name), value))
        check(re.fullmatch(r"[0-9]{4,16}", self.facts.get(_("Card PIN"), "")),
              "the popover gives no PIN (%r)" % sorted(self.facts))
        g.secret_canary.secret("PIN", self.facts[_("Card PIN")])
        # The envelope's unblock code, to unlock the card after locking it.
        check(re.fullmatch(r"[0-9]{8}", self.facts.get(_("Unblock code (PUK)"), "")),
              "the popover gives no unblock code (%r)" % sorted(self.facts))
        g.secret_canary.secret("PUK", self.facts[_("Unblock code (PUK)")])
        # The security word of the application that gave the card, which
        # Kamu SM's Şifreli Giriş asks for (new each demo, like the PUK).
        word = self.facts.get(SECURITY_WORD_FACT, "")
        check(re.fullmatch(r"[A-Za-z]{4,}[0-9]{2}", word),
              "the popover gives no security word (%r)" % sorted(self.facts))
        g.secret_canary.secret("security word", word)
        # The demo person is one of the simulator's, as the popover says.
        row = fixture_person(DEMO_PERSON["tckn"])
        check(row is not None and row[1:5] == [DEMO_PERSON[k] for k in
                                               ("given", "surname", "place", "date")],
              "the demo person is not the simulator's fixture: %r" % row)
        self.close_badge()

    def step_card_status(self):
        virtual = re.compile(r"^%s$" % re.escape(
            cg._catalogue.ngettext("Virtual card · %u certificate",
                                   "Virtual card · %u certificates", 1) % 1))
        wait_for(lambda: matches(self.status_button(), "toggle button", virtual),
                 "the card status to read %r (reads %r)"
                 % (virtual.pattern, self.status_button().name), timeout=30)
        self.screenshot("card-status")

    def step_test_signature(self):
        self.app.click(self.status_button())
        self.app.click(find_in(self.app.root, "push button", _("_Certificates…"),
                               what="the card popover's Certificates button"))
        dialog = self.top("dialog", _("Certificates on the Card"))
        row = find_in(dialog, "list item", re.compile(r"^%s, " % re.escape(HOLDER)),
                      what="the demo certificate's row", timeout=30)
        check(len(find_all_in(dialog, "list item", re.compile(r"^%s, " % re.escape(HOLDER))))
              == 1, "the virtual card holds one certificate")
        self.screenshot("certificates")
        self.app.click(find_in(row, "push button", _("_Test Signature…")))
        pin = self.pin_dialog()
        check(any(TOKEN_LABEL in t for t in texts_in(pin)),
              "the PIN dialog must name the virtual card: %r" % texts_in(pin))
        self.enter_pin(self.facts[_("Card PIN")])
        verified = re.compile(re.escape(
            _("Test signature verified. The card, your PIN and the certificate of %s work: the "
              "signature (CAdES-BES, SHA-256) matches the test text and was made with this "
              "certificate.")).replace("%s", ".+"))
        wait_for(lambda: any(verified.match(t) for t in texts_in(dialog)),
                 "the test signature to verify (dialog shows %r)" % texts_in(dialog)[:8],
                 timeout=30)
        self.screenshot("test-signature-verified")
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Certificates on the Card"))

    def step_pin_change(self):
        """The virtual card's PIN changes like a card's: the demo person's
        birth date (ddmmyy) is refused as the new PIN, another one is taken."""
        day, month, year = DEMO_PERSON["date"].split(".")
        birth_pin = day + month + year[2:]
        new_pin = "402719"
        g.secret_canary.secret("PIN", new_pin)
        self.app.click(self.status_button())
        self.app.click(find_in(self.app.root, "push button", _("Change _PIN…"),
                               what="the card popover's Change PIN button"))
        dialog = self.top("dialog", _("Change the Card PIN"), timeout=30)
        check(any(TOKEN_LABEL in t for t in texts_in(dialog)),
              "the PIN change must name the virtual card: %r" % texts_in(dialog))
        current = find_in(dialog, "password text", _("Current PIN"))
        new = find_in(dialog, "password text", _("New PIN"))
        repeat = find_in(dialog, "password text", _("Repeat the new PIN"))
        change = find_in(dialog, "push button", _("C_hange PIN"))
        self.type_secret(current, self.facts[_("Card PIN")])
        self.type_secret(new, birth_pin)
        self.type_secret(repeat, birth_pin)
        self.wait_sensitive(change, "Change PIN to become sensitive")
        self.app.click(change)
        refused = _("A birth date is too easy to guess. Choose another PIN.")
        wait_for(lambda: refused in texts_in(dialog),
                 "the birth date to be refused (dialog shows %r)" % texts_in(dialog))
        self.screenshot("pin-change-birth-date")
        self.type_secret(new, new_pin)
        self.type_secret(repeat, new_pin)
        self.wait_sensitive(change, "Change PIN to become sensitive")
        self.app.click(change)
        self.top_gone("dialog", _("Change the Card PIN"))
        find_in(self.app.root, "label", _("The PIN was changed"), timeout=30)
        self.screenshot("pin-change-done")
        rawinput.pressKey("Return")
        wait_for(lambda: not find_all_in(self.app.root, "label", _("The PIN was changed")),
                 "the confirmation to close")

    def _tries_text(self, exact, n):
        """The PIN dialog's line for the tries left (src/card/eimza-pin-tries.c)."""
        if exact:
            fmt = cg._catalogue.ngettext("%u PIN try left.", "%u PIN tries left.", n)
        else:
            fmt = cg._catalogue.ngettext("At most %u PIN try left.", "At most %u PIN tries left.",
                                         n)
        return fmt % n

    def _certificates_row(self):
        self.app.click(self.status_button())
        self.app.click(find_in(self.app.root, "push button", _("_Certificates…"),
                               what="the card popover's Certificates button"))
        dialog = self.top("dialog", _("Certificates on the Card"))
        row = find_in(dialog, "list item", re.compile(r"^%s, " % re.escape(HOLDER)),
                      what="the demo certificate's row", timeout=30)
        return dialog, row

    def step_lock_and_unlock(self):
        """The virtual card locks like a card, on purpose: the PIN dialog
        shows the tries left as a number after each wrong PIN (never a try
        spent to learn it), the third wrong PIN locks the card, the card
        popover offers Set PIN / Unlock, and the PUK from the badge with a
        new PIN unlocks it; the test signature with the new PIN verifies."""
        wrong_pin = "918273"
        unlocked_pin = "582046"
        g.secret_canary.secret("PIN", wrong_pin)
        g.secret_canary.secret("PIN", unlocked_pin)
        puk = self.facts[_("Unblock code (PUK)")]
        dialog, row = self._certificates_row()
        self.app.click(find_in(row, "push button", _("_Test Signature…")))
        pin = self.pin_dialog()
        check(self._tries_text(False, 3) in texts_in(pin),
              "a whole card: the PIN dialog must say %r: %r"
              % (self._tries_text(False, 3), texts_in(pin)))
        self.enter_pin(wrong_pin)
        for n in (2, 1):
            retry = find_in(dialog, "push button", _("_Try Again"), timeout=30)
            self.app.click(retry)
            pin = self.pin_dialog()
            # After a wrong PIN: a number. The card's own last-try flag
            # makes the last one exact.
            expected = self._tries_text(n == 1, n)
            wait_for(lambda: expected in texts_in(pin),
                     "the PIN dialog to say %r (says %r)" % (expected, texts_in(pin)))
            if n == 2:
                self.screenshot_root("pin-dialog-after-wrong-pin")
            else:
                self.screenshot_root("pin-dialog-last-try")
            self.enter_pin(wrong_pin, dialog=pin, confirm=(
                "I am sure of my PIN and _accept that a wrong one locks my card"
                if n == 1 else None))
        find_in(dialog, "label", _("Your card is locked"), timeout=30)
        self.screenshot_root("demo-card-locked")
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Certificates on the Card"))

        # The popover says so and offers the unlock, loudly.
        wait_for(lambda: self.status_button().name, "the card status")
        self.app.click(self.status_button())
        unlock = find_in(self.app.root, "push button", _("Set PIN / _Unlock…"),
                         what="the card popover's Set PIN / Unlock", timeout=30)
        self.screenshot_root("card-popover-locked")
        self.app.click(unlock)
        # Two routes: the envelope's PUK is typed here (Kamu SM's below).
        self.app.click(find_in(self.app.root, "push button", _("I’ll _Type the PUK Myself"),
                               timeout=30))
        unblock = self.top("dialog", _("Unlock the Card"), timeout=30)
        code = find_in(unblock, "password text", _("Unblock code (PUK)"))
        new = find_in(unblock, "password text", _("New PIN"))
        repeat = find_in(unblock, "password text", _("Repeat the new PIN"))
        accept = find_in(unblock, "push button", _("_Unlock and Set PIN"))
        self.type_secret(code, puk)
        self.type_secret(new, unlocked_pin)
        self.type_secret(repeat, unlocked_pin)
        self.wait_sensitive(accept, "Unlock to become sensitive")
        self.screenshot_root("demo-unblock-dialog")
        self.app.click(accept)
        self.top_gone("dialog", _("Unlock the Card"), timeout=30)
        # The test signature after the unlock, with the new PIN.
        certificates = self.top("dialog", _("Certificates on the Card"), timeout=30)
        self.enter_pin(unlocked_pin)
        verified = re.compile(re.escape(
            _("Test signature verified. The card, your PIN and the certificate of %s work: the "
              "signature (CAdES-BES, SHA-256) matches the test text and was made with this "
              "certificate.")).replace("%s", ".+"))
        wait_for(lambda: any(verified.match(t) for t in texts_in(certificates)),
                 "the test signature with the new PIN to verify (dialog shows %r)"
                 % texts_in(certificates)[:8], timeout=30)
        self.screenshot_root("demo-unlocked-verified")
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Certificates on the Card"))

    def _lock_card(self, wrong_pin):
        """Three wrong PINs in the test signature lock the virtual card."""
        dialog, row = self._certificates_row()
        self.app.click(find_in(row, "push button", _("_Test Signature…")))
        check(self._tries_text(False, 3) in texts_in(self.pin_dialog()),
              "a whole card: the PIN dialog must say %r" % self._tries_text(False, 3))
        self.enter_pin(wrong_pin)
        for n in (2, 1):
            self.app.click(find_in(dialog, "push button", _("_Try Again"), timeout=30))
            pin = self.pin_dialog()
            expected = self._tries_text(n == 1, n)
            wait_for(lambda: expected in texts_in(pin),
                     "the PIN dialog to say %r (says %r)" % (expected, texts_in(pin)))
            self.enter_pin(wrong_pin, dialog=pin, confirm=(
                "I am sure of my PIN and _accept that a wrong one locks my card"
                if n == 1 else None))
        find_in(dialog, "label", _("Your card is locked"), timeout=30)
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Certificates on the Card"))

    def _last_sms_code(self):
        """The last code the simulator sent: what the badge shows (it reads
        the same file), read here because the unlock dialog is modal."""
        try:
            with open(os.path.join(self.demo_dir, "sms.log"), encoding="utf-8") as f:
                lines = f.read().split()
        except FileNotFoundError:
            return None
        return lines[-1] if lines else None

    def step_lock_and_sifreli_unlock(self):
        """The virtual card locked on purpose again, then unlocked the way a
        card holder without the envelope does: Set PIN / Unlock → Kamu SM
        (Şifreli Giriş) with the T.C. Kimlik No and the security word from
        the badge, the captcha, the SMS code; the demo's simulator hands
        over the demo card's own PUK, the new PIN is set twice, and the
        test signature with it verifies."""
        wrong_pin = "836195"
        sifreli_pin = "294705"
        g.secret_canary.secret("PIN", wrong_pin)
        g.secret_canary.secret("PIN", sifreli_pin)
        sms_before = self._last_sms_code()
        self._lock_card(wrong_pin)

        wait_for(lambda: self.status_button().name, "the card status")
        self.app.click(self.status_button())
        self.app.click(find_in(self.app.root, "push button", _("Set PIN / _Unlock…"),
                               what="the card popover's Set PIN / Unlock", timeout=30))
        self.app.click(find_in(self.app.root, "push button",
                               _("_Get It from Kamu SM (Şifreli Giriş)"), timeout=30))
        unlock = self.top("dialog", _("Unlock with Kamu SM"), timeout=30)
        tckn = find_in(unlock, "text", _("T.C. Kimlik No"))
        word = find_in(unlock, "password text", _("Security word"))
        captcha = find_in(unlock, "text", _("Text in the image"))

        def new_captcha():
            try:
                with open(self.captcha_log, encoding="utf-8") as f:
                    text = f.read().strip()
            except FileNotFoundError:
                return None
            return text if text and text != self.last_captcha else None

        # Written when the simulator made the sign-in form's captcha.
        self.last_captcha = wait_for(new_captcha, "the Şifreli Giriş captcha in %s"
                                     % self.captcha_log, 30)
        self.type_secret(tckn, self.facts[_("T.C. Kimlik No")])
        self.type_secret(word, self.facts[SECURITY_WORD_FACT])
        self.type_secret(captcha, self.last_captcha)
        self.screenshot_root("demo-sifreli-sign-in")
        self.app.click(find_in(unlock, "push button", _("Sign in")))

        sms = find_in(unlock, "password text", _("SMS code"), timeout=30)
        code = wait_for(lambda: (lambda c: c if c and c != sms_before else None)(
            self._last_sms_code()), "the SMS code to be sent", timeout=30)
        check(re.fullmatch(r"[0-9]{6}", code), "not an SMS code: %r" % code)
        g.secret_canary.secret("SMS code", code)
        self.type_secret(sms, code)
        self.screenshot_root("demo-sifreli-sms")
        self.app.click(find_in(unlock, "push button", _("Confirm SMS code")))

        set_pin = find_in(unlock, "push button", _("Set new PIN"), timeout=30)
        self.wait_sensitive(set_pin, "Set New PIN to become sensitive")
        self.screenshot_root("demo-sifreli-code-received")
        self.app.click(set_pin)
        pin = self.top("dialog", _("Unlock the Card"), timeout=30)
        check(not find_all_in(pin, "password text", _("Unblock code (PUK)")),
              "the code Kamu SM gave must not be asked for")
        new = find_in(pin, "password text", _("New PIN"))
        repeat = find_in(pin, "password text", _("Repeat the new PIN"))
        accept = find_in(pin, "push button", _("_Unlock and Set PIN"))
        self.type_secret(new, sifreli_pin)
        self.type_secret(repeat, sifreli_pin)
        self.wait_sensitive(accept, "Unlock to become sensitive")
        self.screenshot_root("demo-sifreli-new-pin")
        self.app.click(accept)
        self.top_gone("dialog", _("Unlock the Card"), timeout=30)

        # The test signature with the new PIN proves the demo card's own
        # PUK came from the simulator.
        self.enter_pin(sifreli_pin)
        done = _("The card is unlocked and takes the new PIN: the test signature with it "
                 "worked. Use the new PIN for every signature from now on.")
        wait_for(lambda: done in texts_in(unlock), "the unlock's result (shows %r)"
                 % texts_in(unlock)[:6], timeout=30)
        self.screenshot_root("demo-sifreli-done")
        self.app.click(find_in(unlock, "push button", _("_Close")))
        self.top_gone("dialog", _("Unlock with Kamu SM"))
        # The certificates window the unlock was started in.
        if find_all_in(self.app.root, "dialog", _("Certificates on the Card")):
            rawinput.pressKey("Escape")
            self.top_gone("dialog", _("Certificates on the Card"))

        # The badge showed that same code: the person's phone in the demo.
        facts = self.open_badge()
        check(facts.get(_("Last SMS code")) == code,
              "the badge's last SMS code is %r, not the one typed" % facts.get(_("Last SMS code")))
        self.close_badge()

    def step_eonay(self):
        """From the signing method: give the e-onay with the virtual card, come
        back and apply with it, in the same portal session."""
        eonay = self.app.find("push button", tr._("Apply with my e-onay"))
        check(not g.is_sensitive(eonay), "applying with an e-onay the person has not given")
        self.app.click(self.app.find("push button", _("_Give your e-onay now…")))
        find_in(self.app.window, "combo box", _("Certificate to log in with"), timeout=30)
        entry = find_in(self.app.window, "text", _("T.C. Kimlik No"))
        wait_for(lambda: self.app.text_of(entry) == DEMO_PERSON["tckn"],
                 "the T.C. Kimlik No to be filled in from the virtual card's certificate")
        self.screenshot("eonay-identity")
        self.app.click(self.step_button("_Log In"))
        self.enter_pin(self.facts[_("Card PIN")], accept="_Log In")
        self.wait_text(_("Step 2 of 4: Sign the login code"), "the login code's signing step",
                       timeout=30)
        self.screenshot("eonay-sign-login")
        self.app.click(self.sign_step_sign())
        self.enter_pin(self.facts[_("Card PIN")])
        # The demo person has no e-onay yet: the commitment comes next.
        self.wait_text(_("Step 3 of 4: Read the commitment"), "the commitment step", timeout=30)
        consent = find_in(self.app.window, "check box",
                          _("I have _read the commitment and accept it"))
        self.screenshot("eonay-commitment")
        self.app.click(consent)
        self.wait_sensitive(self.step_button("_Continue"), "Continue to become sensitive")
        self.app.click(self.step_button("_Continue"))
        self.wait_text(_("Step 4 of 4: Sign the commitment"), "the commitment's signing step",
                       timeout=30)
        self.app.click(self.sign_step_sign())
        self.enter_pin(self.facts[_("Card PIN")])
        self.wait_text(_("Your e-onay is active"), "e-onay active", timeout=30)
        self.screenshot("eonay-active")
        self.app.click(self.step_button("_Done"))

        # Back at the signing method, which asked the portal again.
        eonay = self.app.find("push button", tr._("Apply with my e-onay"), timeout=30)
        wait_for(lambda: g.is_sensitive(eonay), "Apply with my e-onay to become sensitive",
                 timeout=30)
        self.screenshot("method-after-eonay")
        self.app.click(eonay)
        self.app.find("label", tr._("Your application has been received"), timeout=30)
        self.screenshot("applied-with-eonay")

    # -- the renewal ---------------------------------------------------------

    def fill_captcha(self):
        entry = find_in(self.app.window, "text", _("Characters in the _image"))
        wait_for(lambda: any(g.is_showing(n) for n in self.app.find_all(None, _("Security image"))),
                 "the captcha image from the simulator", 30)

        def new_captcha():
            try:
                with open(self.captcha_log, encoding="utf-8") as f:
                    text = f.read().strip()
            except FileNotFoundError:
                return None
            return text if text and text != self.last_captcha else None

        self.last_captcha = wait_for(new_captcha, "the captcha's text in %s" % self.captcha_log)
        self.app.type_into(entry, self.last_captcha)

    def step_sign_in(self):
        self.app.click(find_in(self.app.window, "push button",
                               _("E-signature renewal application")))
        for label, key in (("_T.C. Kimlik No", "tckn"), ("_Name", "given"),
                           ("_Surname", "surname"), ("Place of _birth", "place"),
                           ("_Date of birth", "date")):
            # Typed from the badge's popover, as a person copies it.
            value = self.facts[_({"tckn": "T.C. Kimlik No", "given": "Name",
                                  "surname": "Surname", "place": "Place of birth",
                                  "date": "Date of birth"}[key])]
            self.app.type_into(self.app.find("text", tr._(label), timeout=30), value)
        self.fill_captcha()
        self.app.leave()
        cont = self.app.find("push button", tr._("_Continue"))
        wait_for(lambda: g.is_sensitive(cont), "Devam to become sensitive")
        self.screenshot("sign-in")
        self.app.click(cont)
        self.app.find("push button", tr._("_Confirm form"), timeout=30)

    def step_form(self):
        confirm = self.app.find("push button", tr._("_Confirm form"))
        strings = self.app.visible_strings()
        check(DEMO_PERSON["tckn"] in strings, "the form does not show the demo person's number")
        for label, _turkish in form.FORM_RADIOS:
            radio = self.app.find("radio button", tr._(label))
            self.app.click(radio)
            wait_for(lambda: radio.checked, "%r to be chosen" % label)
        for label, item in form.FORM_COMBOS:
            self.app.choose(self.app.find("combo box", tr._(label)), tr._(item))
        for label, value, _shown in form.FORM_ENTRIES:
            self.app.type_into(self.app.find("text", tr._(label)), value)
        self.app.leave()
        province = self.app.find("combo box", tr._("_Province"))
        district = self.app.find("combo box", tr._("_District"))
        self.app.choose(province, form.PROVINCE)
        wait_for(lambda: form.DISTRICT in self.app.combo_items(district),
                 "the districts of %s" % form.PROVINCE)
        self.app.choose(district, form.DISTRICT)
        self.app.type_into(self.app.find("text", tr._("P_ostal code")), form.POSTAL_CODE)
        self.app.leave()
        wait_for(lambda: g.is_sensitive(confirm), "Formu Onayla to become sensitive")
        self.app.scroll_into_view(confirm)
        self.screenshot("form")
        self.app.click(confirm)
        self.app.find("push button", tr._("_Send Code"), timeout=30)

    def step_sms(self):
        self.app.click(self.app.find("push button", tr._("_Send Code")))
        code_entry = self.app.find("text", tr._("SMS approval code"))
        # The person looks at the phone: in the demo, the badge.
        wait_for(lambda: g._states(code_entry).contains(g.pyatspi.STATE_FOCUSED),
                 "the SMS to be sent (the focus on the code field)", 30)
        facts = self.open_badge()
        code = facts.get(_("Last SMS code"), "")
        check(re.fullmatch(r"[0-9]{6}", code), "the badge shows no SMS code: %r" % code)
        g.secret_canary.secret("SMS code", code)
        self.screenshot("badge-sms-code")
        self.close_badge()
        self.app.type_into(code_entry, code)
        confirm = self.app.find("push button", tr._("_Confirm"))
        wait_for(lambda: g.is_sensitive(confirm), "Onayla to become sensitive")
        self.app.click(confirm)
        self.app.find("push button", tr._("Sign with my e-signature card"), timeout=30)

    def step_method(self):
        card = self.app.find("push button", tr._("Sign with my e-signature card"))
        eonay = self.app.find("push button", tr._("Apply with my e-onay"))
        check(g.is_sensitive(card), "signing with the card must be offered")
        # The demo person has no e-onay yet (it is given later, with the card).
        check(not g.is_sensitive(eonay), "applying with an e-onay the person has not given")
        self.screenshot("method")

    def step_quit(self):
        self.quit_with_ctrl_q()

    # -- case 2: no softhsm2 ------------------------------------------------

    def step_no_softhsm(self):
        popover_facts = self.open_badge()
        self.screenshot("no-card-popover")
        check(_("Card PIN") not in popover_facts, "a PIN is offered for a card that is not there")
        problem = [t for t in self.popover_texts if "softhsm2" in t]
        check(problem, "the popover does not say to install softhsm2: %r" % self.popover_texts)
        check("apt install" in problem[0], "the popover does not say how: %r" % problem[0])
        self.close_badge()
        virtual = re.compile(r"^%s" % re.escape(_("Virtual card")))
        # The card service had time to look: its status must not be a card.
        time.sleep(3)
        name = self.status_button().name
        check(not virtual.search(name), "the card status pretends there is a card: %r" % name)
        log("card status without softhsm2: %r" % name)
        self.screenshot("no-card-status")

    # -- always --------------------------------------------------------------

    def final(self):
        if self.app is not None:
            try:
                self.quit_with_ctrl_q(strict=False)
            finally:
                if self.app is not None:
                    self.app.kill()

    def on_failure(self):
        if self.app is None:
            return
        try:
            self.screenshot("failure-screen")
            self.app.dump("failure")
        except Exception as exc:
            log("could not save the failure evidence: %s" % exc)
        log("app stderr (tail):\n" + self.app.stderr_tail())


def main():
    g.secret_canary.secret("T.C. Kimlik No", DEMO_PERSON["tckn"])
    g.secret_canary.secret("date of birth", DEMO_PERSON["date"])
    g.secret_canary.name(DEMO_PERSON["given"] + " " + DEMO_PERSON["surname"])
    with_card = DemoTest("demo-" + LANG)
    no_softhsm = DemoTest("demo-no-softhsm-" + LANG, extra_env={
        "PATH": path_without("softhsm2-util", os.path.join(SCRATCH, "bin-without-softhsm2"))})

    # The short case first: a failure of the long one skips what follows.
    # The renewal needs no card; the card's steps come after it.
    steps = [
        ("without softhsm2 the demo starts", no_softhsm.step_start),
        ("without softhsm2: the badge says what to install, no card pretended",
         no_softhsm.step_no_softhsm),
        ("without softhsm2: Ctrl+Q removes everything", no_softhsm.step_quit),
        ("the demo starts: simulator and virtual card in a private directory",
         with_card.step_start),
        ("the Demo badge names the demo person and the card's PIN", with_card.step_badge),
        ("the card status says: virtual card, 1 certificate", with_card.step_card_status),
        ("renewal: sign in as the demo person", with_card.step_sign_in),
        ("renewal: the form", with_card.step_form),
        ("renewal: the SMS code from the badge", with_card.step_sms),
        ("renewal: the signing method", with_card.step_method),
        ("a test signature with the badge's PIN verifies", with_card.step_test_signature),
        ("e-onay given from the signing method, then the application with it",
         with_card.step_eonay),
        ("the virtual card's PIN changes; the demo person's birth date is refused",
         with_card.step_pin_change),
        ("the tries left as a number after a wrong PIN; the card locked on purpose and "
         "unlocked with the badge's PUK", with_card.step_lock_and_unlock),
        ("the virtual card locked again and unlocked through Kamu SM's Şifreli Giriş with the "
         "badge's T.C. Kimlik No, security word and SMS code", with_card.step_lock_and_sifreli_unlock),
        ("Ctrl+Q: the demo's directory and simulator are gone", with_card.step_quit),
    ]

    def on_failure():
        for t in (with_card, no_softhsm):
            t.on_failure()

    def final():
        errors = []
        for t in (with_card, no_softhsm):
            try:
                t.final()
            except Exception as exc:
                errors.append(str(exc))
        check(not errors, "; ".join(errors))

    return g.run_checks(steps, final=("the apps close cleanly", final), on_failure=on_failure)


if __name__ == "__main__":
    sys.exit(main())
