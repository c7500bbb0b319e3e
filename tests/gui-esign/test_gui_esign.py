#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""E-signed application GUI test ("E-İmzalı Başvuru"): from the welcome page
through sign-in, the application form and the SMS approval to the signing
method, then signing the application with the card, through AT-SPI, in
Turkish, with a real pcscd, a virtual card (for the card's presence), a
SoftHSM2 token (the keys) and the portal simulator checking signatures
(--nes-client-ca).

The token holds the applicant's certificates (10000000146) and another
person's (10000000214, EIMZA_SOFTHSM_SECOND_PERSON=1).  The page shows the
application as the portal holds it, the commitment and the exact text to
sign; only the applicant's certificates are offered.  Signing with the PIN
sends the signature and leads to the application number, and the signature
the simulator accepted verifies with `openssl cms -verify` (--signature-log).
A second app, on a simulator that takes every signature for another
person's (--fault signer-mismatch), shows the "someone else's certificate"
message and lets the person choose and sign again.

Run through run-gui-esign-test.sh (meson test --suite gui-esign).
"""

import glob
import gettext
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The helpers of the other GUI tests, used read-only.
sys.path.insert(0, os.path.join(HERE, "..", "gui"))
sys.path.insert(0, os.path.join(HERE, "..", "gui-card"))
sys.path.insert(0, os.path.join(HERE, "..", "gui-eonay"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402
from dogtail import rawinput  # noqa: E402

import vpcd_card  # noqa: E402
from eonay_helpers import (  # noqa: E402
    Pcscd, PcscdLock, pcscd_socket_is_live, find_in, matches, texts_in)

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
SRCDIR = os.environ.get("EIMZA_SRCDIR", os.path.join(HERE, "..", ".."))
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
SIM = os.environ.get("EIMZA_PORTAL_SIM",
                     os.path.join(BUILDDIR, "tools", "portal-sim", "eimza-portal-sim"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-esign-artifacts"))
LOCALEDIR = os.environ.get("EIMZA_ASISTAN_LOCALEDIR", os.path.join(BUILDDIR, "po"))
SCRATCH = os.environ["EIMZA_GUI_ESIGN_SCRATCH"]
LOCK_PATH = os.environ.get("EIMZA_PCSCD_LOCK") or "/tmp/eimza-pcscd-tests.lock"
SOFTHSM_MODULE = os.environ.get("SOFTHSM2_MODULE", "/usr/lib/softhsm/libsofthsm2.so")
LANG = os.environ.get("EIMZA_GUI_LANG", "tr")
TURKISH = LANG == "tr"

USER_PIN = "123456"
HOLDER = "AHMET YILMAZ"           # the applicant's certificates on the token
OTHER_HOLDER = "MEHMET CAGRI OZTURK"
# The first person of the simulator's fixtures: e-onay active, a previous
# application that fills the whole form in.
LOGIN_VALUES = [
    ("_T.C. Kimlik No", "10000000146"),
    ("_Name", "Ayşe Gül"),
    ("_Surname", "Yılmaz"),
    ("Place of _birth", "Ankara"),
    ("_Date of birth", "14.03.1985"),
]
MOBILE_DIGITS = "5321112233"
APPLICATION_NUMBER = re.compile(r"^\d{4}-\d{6}$")
DOCUMENT_HEADING = "KAMU SM NİTELİKLİ ELEKTRONİK SERTİFİKA BAŞVURUSU"

if TURKISH:
    LOCALE_ENV = {"LANG": "tr_TR.UTF-8", "LANGUAGE": "tr", "LC_ALL": "tr_TR.UTF-8"}
    _catalogue = gettext.translation("eimza-asistan", localedir=LOCALEDIR, languages=["tr"],
                                     fallback=True)
else:
    LOCALE_ENV = {"LANG": "C.UTF-8", "LANGUAGE": "", "LC_ALL": "C.UTF-8"}
    _catalogue = gettext.NullTranslations()


def strip_mnemonic(text):
    return re.sub(r"_(.)", r"\1", text)


def _(text):
    """What the app shows for the English text, mnemonics ignored."""
    return strip_mnemonic(_catalogue.gettext(text))


def starts(text):
    """A regex for a label that begins with the translation of text."""
    return re.compile(r"^" + re.escape(_(text)))


class NesSim(g.PortalSim):
    """The simulator with signature checking (--nes-client-ca) and a copy of
    every signature it accepted (--signature-log); also reads the
    "listening-nes" line."""

    def __init__(self, binary, workdir, name, client_ca, args=()):
        self.signature_dir = os.path.join(workdir, name + "-signatures")
        os.makedirs(self.signature_dir, exist_ok=True)
        super().__init__(binary, workdir, name,
                         args=["--nes-client-ca", client_ca,
                               "--signature-log", self.signature_dir] + list(args))
        self.nes_url = None

    def start(self, timeout=20.0):
        super().start(timeout)
        line = self.proc.stdout.readline().strip()
        m = re.match(r"^listening-nes (https://127\.0\.0\.1:[0-9]+)/$", line)
        if not m:
            self.stop()
            raise g.GuiTestError("the simulator printed %r, not its NES line" % line)
        self.nes_url = m.group(1)
        return self


class EsignTest:
    def __init__(self):
        self.lock = None
        self.pcscd = Pcscd(ARTIFACTS)
        self.card = None
        self.app = None
        self.sim = None
        self.sims = []
        self.token_dir = None
        self.last_captcha = None

    # -- helpers --------------------------------------------------------------

    def screenshot(self, label):
        self.app.shot_count += 1
        path = os.path.join(ARTIFACTS, "%s-%02d-%s.png" % (self.app.name, self.app.shot_count,
                                                            label))
        time.sleep(0.4)
        subprocess.run(["import", "-window", "root", path], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log("screenshot %s" % path)
        return path

    def window_texts(self):
        # Also the labels scrolled out of view and those in info bars.
        return [n.name or "" for n in self.app.find_all("label")] + texts_in(self.app.window)

    def wait_text(self, pattern, what, timeout=g.DEFAULT_TIMEOUT):
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

    # The pages are long: these find controls scrolled out of view too.
    def button(self, label, timeout=g.DEFAULT_TIMEOUT):
        return self.app.find("push button", _(label), timeout=timeout)

    def entry(self, label, timeout=g.DEFAULT_TIMEOUT):
        return self.app.find("text", _(label), timeout=timeout)

    def wait_sensitive(self, node, what, timeout=g.DEFAULT_TIMEOUT, sensitive=True):
        wait_for(lambda: g.is_sensitive(node) == sensitive, what, timeout)

    def top(self, role, name, timeout=g.DEFAULT_TIMEOUT):
        def find():
            root = self.app.root
            for i in range(root.childCount):
                w = root.getChildAtIndex(i)
                if w is not None and matches(w, role, name) and g.is_showing(w):
                    return w
            return None

        return wait_for(find, "the window [%s | %r]" % (role, getattr(name, "pattern", name)),
                        timeout)

    def top_gone(self, role, name, timeout=g.DEFAULT_TIMEOUT):
        def gone():
            root = self.app.root
            for i in range(root.childCount):
                w = root.getChildAtIndex(i)
                if w is not None and matches(w, role, name) and g.is_showing(w):
                    return False
            return True

        wait_for(gone, "the window [%s | %r] to close" % (role, getattr(name, "pattern", name)),
                 timeout)

    def click_sign(self):
        """Sign, below the text to sign: the wheel turns over the page's
        margin (over the text it would scroll the text instead)."""
        sign = self.button("_Sign")
        self.wait_sensitive(sign, "Sign to be sensitive")
        pane = self.app._scroll_pane_of(sign)
        px, py, pw, ph = self.app.extents(pane)
        for _i in range(40):
            x, y, w, h = self.app.extents(sign)
            if g.is_showing(sign) and py <= y and y + h <= py + ph:
                break
            # The page's margin, beside the text views.
            rawinput.click(px + 10, py + ph // 2, button=5)
            time.sleep(0.05)
        self.app.click(sign)

    def enter_pin(self, pin):
        dialog = self.top("dialog", re.compile(r"^%s" % re.escape(_("Card PIN"))), timeout=30)
        entry = find_in(dialog, "password text", _("PIN"))
        sign = find_in(dialog, "push button", _("_Sign"))
        self.app.focus(entry)
        rawinput.typeText(pin)
        wait_for(lambda: entry.queryText().characterCount == len(pin),
                 "the PIN entry to hold %d characters" % len(pin))
        wait_for(lambda: g.is_sensitive(sign), "the PIN dialog's Sign button to become sensitive")
        self.app.click(sign)
        self.top_gone("dialog", re.compile(r"^%s" % re.escape(_("Card PIN"))))

    def start_app(self, name, sim):
        env = dict(LOCALE_ENV)
        env["SOFTHSM2_CONF"] = os.path.join(self.token_dir, "softhsm2.conf")
        if os.environ.get("EIMZA_APP_ASAN_OPTIONS"):
            env["ASAN_OPTIONS"] = os.environ["EIMZA_APP_ASAN_OPTIONS"]
        if os.environ.get("EIMZA_APP_UBSAN_OPTIONS"):
            env["UBSAN_OPTIONS"] = os.environ["EIMZA_APP_UBSAN_OPTIONS"]
        self.sim = sim
        self.last_captcha = None
        self.app = g.App(APP, ARTIFACTS, name, env=env,
                         args=["--pkcs11-module", SOFTHSM_MODULE,
                               "--portal-profile", "simulator",
                               "--portal-url", sim.url, "--portal-ca", sim.ca])
        self.app.start()

    def start_sim(self, name, args=()):
        testca = os.path.join(self.token_dir, "testca.pem")
        sim = NesSim(SIM, SCRATCH, name, testca, args=args).start()
        self.sims.append(sim)
        return sim

    # -- the way to the signing method ----------------------------------------

    def sign_in(self):
        self.app.click(self.button("E-signature renewal application"))
        wait_for(lambda: any(g.is_showing(n) for n in self.app.find_all(None, _("Security image"))),
                 "the captcha image from the portal", 30)
        for label, value in LOGIN_VALUES:
            self.app.type_into(self.entry(label), value)
        captcha = wait_for(lambda: (lambda t: t if t and t != self.last_captcha else None)(
            self.sim.captcha()), "a captcha in the simulator's log")
        self.last_captcha = captcha
        self.app.type_into(self.entry("Characters in the _image"), captcha)
        self.app.leave()
        cont = self.button("_Continue")
        self.wait_sensitive(cont, "Devam to become sensitive")
        self.app.click(cont)

    def confirm_form(self):
        # The portal filled the form in from the person's previous application.
        confirm = self.button("_Confirm form", timeout=30)
        self.wait_sensitive(confirm, "Formu Onayla to become sensitive with the portal's values")
        self.app.click(confirm)

    def approve_sms(self):
        send = self.button("_Send Code", timeout=30)
        before = len(self.sim.sms_messages())
        self.app.click(send)
        phone, code = wait_for(lambda: (self.sim.sms_messages()[before:] or [None])[-1],
                               "an SMS from the portal", 30)
        check(phone == MOBILE_DIGITS, "the SMS went to %s" % phone)
        self.app.type_into(self.entry("SMS approval code"), code)
        confirm = self.button("_Confirm")
        self.wait_sensitive(confirm, "Onayla to become sensitive with the code")
        self.app.click(confirm)

    def to_method_page(self):
        self.sign_in()
        self.confirm_form()
        self.approve_sms()
        return self.button("Sign with my e-signature card", timeout=30)

    def open_esign_page(self):
        card = self.to_method_page()
        check(g.is_sensitive(card), "the card button must be sensitive")
        self.screenshot("method")
        self.app.click(card)
        self.wait_text(_("Sign your application"), "the signing step's heading", timeout=30)
        sign = self.button("_Sign", timeout=30)
        self.wait_sensitive(sign, "Sign to become sensitive with the applicant's certificate",
                            timeout=30)
        return sign

    # -- steps ----------------------------------------------------------------

    def step_setup(self):
        self.lock = PcscdLock(LOCK_PATH)
        if pcscd_socket_is_live():
            raise g.GuiTestError("a pcscd that this test did not start is running "
                                 "(see /run/pcscd/pcscd.pid); stop it to run this test")
        self.token_dir = os.path.join(SCRATCH, "softhsm")
        log("making the SoftHSM2 token in %s" % self.token_dir)
        env = dict(os.environ)
        env["EIMZA_SOFTHSM_SECOND_PERSON"] = "1"
        subprocess.run(["sh", os.path.join(SRCDIR, "tests", "card", "softhsm-setup.sh"),
                        self.token_dir], check=True, stdin=subprocess.DEVNULL, env=env)
        self.pcscd.start()
        self.card = vpcd_card.VirtualCard().insert()
        self.start_app("esign-" + LANG, self.start_sim("sim"))

    def step_esign_page(self):
        sign = self.open_esign_page()
        summary = self.app.text_of(self.entry("Application summary"))
        check(LOGIN_VALUES[0][1] in summary and "Ayşe Gül" in summary,
              "the summary must show the applicant: %r" % summary[:300])
        check("Kelebek42" not in summary, "the security word must not be shown")
        self.screenshot("esign")
        # The commitment is the summary's neighbour: one click away.
        tab = wait_for(lambda: next((n for n in self.app.find_all(None, _("Commitment"))
                                     if "button" in n.roleName), None), "the commitment's tab")
        self.app.click(tab)
        commitment = self.app.find("label", _("Commitment text"))
        check(len(commitment.queryText().getText(0, -1)) > 40, "the commitment must be shown")
        self.screenshot("esign-commitment")
        document = self.app.text_of(self.entry("Text to be signed"))
        check(document.startswith(DOCUMENT_HEADING),
              "the exact text to sign must be shown: %r" % document[:200])
        combo = self.app.find("combo box", _("Signing certificate"))
        items = self.app.combo_items(combo)
        log("certificates offered: %r" % items)
        check(items and all(HOLDER in i for i in items),
              "only the applicant's certificates may be offered: %r" % items)
        check(not any(OTHER_HOLDER in i for i in items),
              "another person's certificate is offered: %r" % items)
        check(not [w for w in self.app.root.children if (w.name or "").startswith(_("Card PIN"))],
              "no PIN may be asked before the person presses Sign")
        return sign

    def step_sign_and_apply(self):
        self.click_sign()
        self.enter_pin(USER_PIN)
        self.wait_text(_("Your application has been received"), "the result page", timeout=30)
        number = self.wait_text(APPLICATION_NUMBER, "the application number")
        log("application number %s" % number)
        self.screenshot("result")

    def step_signature_checked(self):
        """The signature the simulator accepted, checked with openssl."""
        dumps = sorted(glob.glob(os.path.join(self.sims[0].signature_dir, "*-application.cms")))
        check(len(dumps) == 1, "the simulator accepted %d application signatures" % len(dumps))
        testca = os.path.join(self.token_dir, "testca.pem")
        for path in dumps:
            content = path[:-len(".cms")] + ".content"
            with open(content, "rb") as f:
                check(f.read().decode("utf-8").startswith(DOCUMENT_HEADING),
                      "the signed content must be the application document")
            result = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER",
                                     "-in", path, "-content", content, "-CAfile", testca,
                                     "-purpose", "any", "-out", "/dev/null"],
                                    capture_output=True, text=True)
            check(result.returncode == 0, "openssl cms -verify %s: %s" % (path, result.stderr))

    def step_wrong_signer(self):
        status = self.app.quit()
        check(status == 0, "the first app exited with status %s; stderr:\n%s"
              % (status, self.app.stderr_tail()))
        self.app.check_stderr()
        self.start_app("esign-wrong-signer-" + LANG,
                       self.start_sim("sim-mismatch", ["--fault", "signer-mismatch"]))
        self.open_esign_page()
        self.click_sign()
        self.enter_pin(USER_PIN)
        self.wait_text(starts("This certificate belongs to someone else."),
                       "the message about another person's certificate", timeout=30)
        check(_("Your application has been received") not in self.window_texts(),
              "a refused signature must not make the application")
        combo = self.app.find("combo box", _("Signing certificate"))
        self.wait_sensitive(combo, "the certificate choice to be open again")
        self.wait_sensitive(self.button("_Sign"), "Sign to be sensitive again")
        self.screenshot("wrong-signer")
        # Another certificate, and a second try: sent again, refused again
        # by this simulator, never sent by itself.
        others = [i for i in self.app.combo_items(combo) if i != self.app.combo_value(combo)]
        if others:
            self.app.choose(combo, others[0])
        self.click_sign()
        self.enter_pin(USER_PIN)
        wait_for(lambda: len(self.sim.requests(r"POST /bp/eimzaligonder\.go")) == 2,
                 "the second signature to be sent", 30)
        self.wait_text(starts("This certificate belongs to someone else."),
                       "the message again", timeout=30)
        time.sleep(1.0)
        check(len(self.sim.requests(r"POST /bp/eimzaligonder\.go")) == 2,
              "each signature must be sent once: %r"
              % self.sim.requests(r"/bp/eimzaligonder"))

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
            self.screenshot("failure-screen")
            self.app.dump("failure")
        except Exception as exc:
            log("could not save the failure evidence: %s" % exc)
        log("app stderr (tail):\n" + self.app.stderr_tail())


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    t = EsignTest()
    steps = [
        ("pcscd, a card, the token (two people), the simulator and the app", t.step_setup),
        ("sign-in, form, SMS; the e-signed application shows the summary, the commitment, "
         "the text and only the applicant's certificates", t.step_esign_page),
        ("signed with the PIN: the application number", t.step_sign_and_apply),
        ("the accepted signature verifies with openssl", t.step_signature_checked),
        ("another person's signature refused: the message, and signing again",
         t.step_wrong_signer),
    ]
    return g.run_checks(steps, final=("app closes cleanly", t.final_quit), on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
