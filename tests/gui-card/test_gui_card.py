#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Card GUI test: the card status, the certificates, a test signature and the
PIN safety rules, through AT-SPI, with a real pcscd, a virtual card and a
SoftHSM2 token behind the PIN policy module (three wrong PINs lock it).

The app starts before pcscd: the header says the card service is not
running; pcscd comes up (vpcd's two virtual readers): "no card"; a virtual
AKİS card is inserted: "<card type> · 4 certificates".  The certificates
dialog lists the token's certificates; a test signature with the right PIN
verifies; two wrong PINs bring the PIN dialog's loud last-try state, whose
Sign button stays insensitive until the confirmation box is ticked; the
right PIN then resets the card's counter.  A locked card gets the unlock
link and never the PIN dialog; Unlock… offers Kamu SM's code (Şifreli Giriş)
or a typed PUK: the typed one first, then, the card locked again with its
unblock code at the last try, the simulator's Şifreli Giriş (number,
security word, captcha, SMS code) and the new PIN only, confirmed.  Diagnostics names no broken link and copies
a report without the T.C. Kimlik No.  Removing the card shows "no card"
again.  A second app, with a reader that has a keypad, asks for no PIN in
the dialog and signs.  Each app closes with status 0 and a clean stderr.

pcscd listens on the one socket /run/pcscd/pcscd.comm, so the test holds
the lock /tmp/eimza-pcscd-tests.lock (as tests/card/pcsc-testbed.c does)
from before it starts pcscd until after it has stopped it.

Run through run-gui-card-test.sh (meson test --suite gui-card).
"""

import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The shared helpers of the GUI tests.
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402
import pyatspi  # noqa: E402
from dogtail import rawinput  # noqa: E402

import card_gui as cg  # noqa: E402
from card_gui import (  # noqa: E402
    _, _catalogue, LANG, USER_PIN, WRONG_PIN, TCKN, HOLDER,
    strip_mnemonic, find_in, find_all_in, texts_in, matches)
import vpcd_card  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
SIM = os.environ.get("EIMZA_PORTAL_SIM",
                     os.path.join(BUILDDIR, "tools", "portal-sim", "eimza-portal-sim"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-card-artifacts"))
SCRATCH = os.environ["EIMZA_GUI_CARD_SCRATCH"]
PIN_POLICY_MODULE = os.environ["EIMZA_PIN_POLICY_MODULE"]

CARD_TYPE = "AKİS (2020+)"
READER = "Virtual PCD 00 00"
# The PIN the PIN change sets (not weak: no repeat, no run, no birth date).
NEW_PIN = "402719"
# The token's SO PIN (softhsm-setup.sh), standing for the card's unblock
# code (PUK), and the PIN the unblock sets.
UNBLOCK_CODE = "12345678"
UNBLOCKED_PIN = "583920"
# The fixture person's security word (the simulator's fixtures), and the
# PIN set after Kamu SM handed the unblock code over (Şifreli Giriş).
SECURITY_WORD = "Kelebek42"
SIFRELI_PIN = "730418"


def ngettext_re(singular, plural):
    """A regex for a printf format from the catalogue (either form)."""
    forms = {_catalogue.ngettext(singular, plural, n) for n in (1, 2, 5)}
    parts = [re.sub(r"%(?:\d+\$)?[sud]", ".+", re.escape(strip_mnemonic(f)).replace("\\%", "%"))
             for f in forms]
    return re.compile(r"^(?:%s)$" % "|".join(parts), re.S)


def format_re(fmt):
    return re.compile(r"^" + re.sub(r"%(?:\d+\$)?[sud]", ".+",
                                    re.escape(_(fmt)).replace("\\%", "%")) + r"$", re.S)


def write_pin_state(path, failures, logins):
    """Set the PIN policy module's counter, as the card would hold it."""
    with open(path, "w") as f:
        f.write("failures=%d\nlogins=%d\n" % (failures, logins))


def read_set_pins(path):
    """The C_SetPIN calls that checked a current PIN (each spends a try when wrong)."""
    try:
        with open(path) as f:
            for line in f:
                key, _sep, value = line.strip().partition("=")
                if key == "set_pins":
                    return int(value)
    except FileNotFoundError:
        pass
    return 0


def read_state_counts(path):
    """Every counter of the PIN policy module's state file."""
    counts = {}
    try:
        with open(path) as f:
            for line in f:
                key, _sep, value = line.strip().partition("=")
                if key:
                    counts[key] = int(value)
    except FileNotFoundError:
        pass
    return counts


def allow_one_so_login(path):
    """The person gives an unblock code: the module (EIMZA_PIN_POLICY_SO_GUARD)
    lets exactly one SO login through, and refuses and counts any other."""
    counts = read_state_counts(path)
    counts["so_allowed"] = counts.get("so_logins", 0) + 1
    order = ["failures", "logins", "set_pins", "so_failures", "so_logins", "init_pins",
             "so_allowed", "so_unasked"]
    with open(path + ".tmp", "w") as f:
        for key in order:
            f.write("%s=%d\n" % (key, counts.get(key, 0)))
    os.rename(path + ".tmp", path)


def read_pin_state(path):
    state = {"failures": 0, "logins": 0}
    try:
        with open(path) as f:
            for line in f:
                key, _sep, value = line.strip().partition("=")
                if key in state:
                    state[key] = int(value)
    except FileNotFoundError:
        pass
    return state


class CardTest(cg.CardGuiTest):
    failure_window_shot = True

    def __init__(self):
        super().__init__(ARTIFACTS)
        self.app_env = None
        self.pin_state = os.path.join(SCRATCH, "pin-policy-state")
        # The card's PIN: the PIN change step sets a new one.
        self.user_pin = USER_PIN

    # -- helpers --------------------------------------------------------------

    def status_button(self):
        """The header bar's card status: the toggle button that is not the
        main menu (its name is the status it shows)."""
        main_menu = _("Main Menu")

        def one():
            nodes = [n for n in find_all_in(self.app.window, "toggle button")
                     if n.name != main_menu]
            check(len(nodes) <= 1, "%d card status buttons" % len(nodes))
            return nodes[0] if nodes else None

        return wait_for(one, "the card status button")

    def wait_status(self, name, timeout=g.DEFAULT_TIMEOUT):
        """Wait until the header bar's card status reads name; return the time taken."""
        start = time.monotonic()
        wait_for(lambda: matches(self.status_button(), "toggle button", name),
                 "the card status to read %r (reads %r)"
                 % (getattr(name, "pattern", name), self._status_name()), timeout)
        took = time.monotonic() - start
        log("card status %r after %.2f s" % (self._status_name(), took))
        return took

    def _status_name(self):
        try:
            return self.status_button().name
        except Exception as exc:
            return "<%s>" % exc

    def open_popover(self):
        self.app.click(self.status_button())
        return find_in(self.app.root, "push button", _("_Certificates…"),
                       what="the card popover's Certificates button")

    def close_popover(self):
        rawinput.pressKey("Escape")
        wait_for(lambda: not find_all_in(self.app.root, "push button", _("_Certificates…")),
                 "the card popover to close")

    def pin_dialog(self, final_try=False):
        title = _("Card PIN: Last Try") if final_try else _("Card PIN")
        return self.top("dialog", title, timeout=30)

    def certificates_dialog(self):
        return self.top("dialog", _("Certificates on the Card"))

    def rsa_row(self, dialog):
        return find_in(dialog, "list item", re.compile(r"^%s, RSA 2048, " % re.escape(HOLDER)),
                       what="the RSA certificate's row")

    def start_test_signature(self):
        dialog = self.certificates_dialog()
        row = self.rsa_row(dialog)
        self.app.click(find_in(row, "push button", _("_Test Signature…")))
        return dialog

    def enter_pin(self, pin, final_try=False, screenshot=None):
        confirm = "I am sure of my PIN and _accept that a wrong one locks my card"
        super().enter_pin(pin, screenshot=screenshot, dialog=self.pin_dialog(final_try),
                          confirm=confirm if final_try else None)

    def wait_result_verified(self, dialog):
        verified = format_re("Test signature verified. The card, your PIN and the certificate "
                             "of %s work: the signature (CAdES-BES, SHA-256) matches the test "
                             "text and was made with this certificate.")
        return wait_for(lambda: any(verified.match(t) for t in texts_in(dialog)),
                        "the test signature to be verified (dialog shows %r)" % texts_in(dialog)[:8],
                        timeout=30)

    def wait_wrong_pin(self, dialog):
        """The wrong PIN is reported with Try Again, and nothing is retried."""
        retry = find_in(dialog, "push button", _("_Try Again"), timeout=30)
        log("after a wrong PIN the dialog says: %r" % [t for t in texts_in(dialog) if t][:6])
        return retry

    # -- steps ---------------------------------------------------------------

    def step_start_without_pcscd(self):
        self.lock_pcscd("the card GUI test")
        self.make_token(SCRATCH)
        env = cg.app_env(self.token_dir)
        env["EIMZA_PIN_POLICY_STATE"] = self.pin_state
        # No unblock code may reach the card that the test did not type.
        env["EIMZA_PIN_POLICY_SO_GUARD"] = "1"
        self.app_env = env
        # The NES site with Şifreli Giriş, for the unlock with Kamu SM's code.
        self.sim = cg.NesSim(SIM, SCRATCH, "sim", self.test_ca(), args=["--sifreli-giris"],
                             signature_log=False).start()
        self.sims.append(self.sim)
        self.app = g.App(APP, ARTIFACTS, "card-" + LANG, env=env,
                         args=["--pkcs11-module", PIN_POLICY_MODULE,
                               "--portal-profile", "simulator", "--portal-ca", self.sim.ca,
                               "--eonay-url", self.sim.nes_url,
                               "--sifreli-url", self.sim.sifreli_url])
        self.app.start()
        self.wait_status(_("Card service not running"))
        self.app.screenshot("no-pcscd")
        self.open_popover()
        check(any("pcscd" in t for t in texts_in(self.app.root)),
              "the popover must name pcscd: %r" % texts_in(self.app.root))
        self.screenshot_root("no-pcscd-popover")
        self.close_popover()

    def step_pcscd_starts(self):
        self.pcscd.start()
        took = self.wait_status(_("No card inserted"))
        check(took < 5, "the status took %.1f s to follow pcscd" % took)
        self.app.screenshot("no-card")

    def step_card_inserted(self):
        start = time.monotonic()
        self.card = vpcd_card.VirtualCard().insert()
        self.wait_status(re.compile(r"^%s · " % re.escape(CARD_TYPE)), timeout=10)
        log("card type shown after %.2f s" % (time.monotonic() - start))
        self.wait_status(ngettext_re("%s · %u certificate", "%s · %u certificates"), timeout=30)
        name = self._status_name()
        check(name.startswith(CARD_TYPE) and "4" in name, "unexpected card status %r" % name)
        self.app.screenshot("card")
        self.open_popover()
        self.screenshot_root("card-popover")

    def step_certificates_dialog(self):
        self.app.click(find_in(self.app.root, "push button", _("_Certificates…")))
        dialog = self.certificates_dialog()
        rows = wait_for(lambda: find_all_in(dialog, "list item",
                                            re.compile(r"^%s, " % re.escape(HOLDER))),
                        "the certificates of %s in the list" % HOLDER, timeout=30)
        log("certificate rows: %r" % [r.name for r in rows])
        check(len(rows) == 4, "expected the 4 certificates of the token once each, got %d"
              % len(rows))
        texts = texts_in(dialog)
        check(any(TCKN in t for t in texts), "the T.C. Kimlik No must be shown")
        # The warning is a plural message: look it up as one, in the UI's language.
        warning_start = _catalogue.ngettext(
            "This certificate expires in %d day. Apply for renewal now: a renewed certificate "
            "only becomes usable when this one expires, so applying early leaves no gap.",
            "This certificate expires in %d days. Apply for renewal now: a renewed certificate "
            "only becomes usable when this one expires, so applying early leaves no gap.",
            10).split("%d")[0]
        check(any(t.startswith(warning_start) for t in texts),
              "the certificate that expires in 10 days must carry the expiry warning")
        self.screenshot_root("certificates")

    def step_details(self):
        dialog = self.certificates_dialog()
        row = self.rsa_row(dialog)
        expander = find_in(row, "toggle button", _("_Details"))
        self.app.click(expander)
        wait_for(lambda: any(t.startswith("SHA-256") or t == _("SHA-256 fingerprint")
                             for t in texts_in(row)), "the details of the RSA certificate")
        self.screenshot_root("certificate-details")
        # Open, the expander's middle is in its content: click its title.
        x, y, w, h = self.app.settled_extents(expander)
        rawinput.click(x + 30, y + 8)
        wait_for(lambda: not g._states(expander).contains(pyatspi.STATE_EXPANDED),
                 "the details to close")

    def step_test_signature(self):
        dialog = self.start_test_signature()
        pin = self.pin_dialog()
        check(any(t == _("Three wrong PINs in a row lock the card.") for t in texts_in(pin)),
              "the PIN dialog must state the normal retry rule: %r" % texts_in(pin))
        check(any("EIMZA TEST" in t for t in texts_in(pin)),
              "the PIN dialog must name the token: %r" % texts_in(pin))
        self.enter_pin(USER_PIN, screenshot="pin-dialog")
        self.wait_result_verified(dialog)
        self.screenshot_root("test-signature-verified")
        state = read_pin_state(self.pin_state)
        check(state["logins"] == 1 and state["failures"] == 0, "PIN policy state %r" % state)

    def step_wrong_pins(self):
        dialog = self.start_test_signature()
        self.enter_pin(WRONG_PIN)
        retry = self.wait_wrong_pin(dialog)
        self.screenshot_root("wrong-pin-1")
        state = read_pin_state(self.pin_state)
        check(state == {"failures": 1, "logins": 2},
              "one wrong PIN must be one login, not retried: %r" % state)
        time.sleep(1.0)
        check(read_pin_state(self.pin_state)["logins"] == 2, "the app retried the PIN by itself")

        self.app.click(retry)
        pin = self.pin_dialog()
        count_low = _("A wrong PIN was entered since the last correct one. Three wrong PINs in a "
                      "row lock the card, so type slowly.")
        wait_for(lambda: count_low in texts_in(pin), "the PIN dialog to warn of the wrong PIN")
        self.enter_pin(WRONG_PIN, screenshot="pin-dialog-count-low")
        retry = self.wait_wrong_pin(dialog)
        state = read_pin_state(self.pin_state)
        check(state == {"failures": 2, "logins": 3}, "PIN policy state %r" % state)

        self.app.click(retry)
        pin = self.pin_dialog(final_try=True)
        check(_("Last try: one more wrong PIN locks your card") in texts_in(pin),
              "the last-try warning must be shown: %r" % texts_in(pin))
        self.enter_pin(USER_PIN, final_try=True, screenshot="pin-dialog-final-try")
        self.wait_result_verified(dialog)
        state = read_pin_state(self.pin_state)
        check(state == {"failures": 0, "logins": 4}, "PIN policy state %r" % state)
        self.screenshot_root("final-try-verified")

    def step_locked_card(self):
        """A locked card gets an explanation with the unlock link, never the
        PIN dialog."""
        state = read_pin_state(self.pin_state)
        write_pin_state(self.pin_state, 3, state["logins"])
        # The last Sign click left the pointer over a badge of the first row,
        # whose tooltip opens over the row's button and would take the
        # click: move away first, as a hand would.
        rawinput.absoluteMotion(100, 700)
        time.sleep(0.5)
        dialog = self.start_test_signature()
        find_in(dialog, "label", _("Your card is locked"), timeout=30)
        link = find_in(dialog, "push button",
                       _("Unlock the card on the NES site (Kilit Çözme)"))
        check(link is not None, "the unlock link must be shown")
        time.sleep(1.0)
        check(not [w for w in self.top_windows()
                   if w.name.startswith(_("Card PIN"))],
              "a locked card must never get the PIN dialog")
        check(read_pin_state(self.pin_state)["logins"] == state["logins"],
              "no PIN may be sent to a locked card")
        self.screenshot_root("locked-card")

    def step_unblock(self):
        """The locked card's Unlock: the unblock code's tries shown before it is
        typed, the code (PUK) and a new PIN twice, one SO login and one
        C_InitPIN, then the test signature with the new PIN verifies."""
        dialog = self.certificates_dialog()
        logins = read_pin_state(self.pin_state)["logins"]
        self.app.click(find_in(dialog, "push button", _("_Unlock…")))
        # Two ways to the code; this person has the envelope's PUK.
        typed = find_in(self.app.root, "push button", _("I’ll _Type the PUK Myself"), timeout=30)
        find_in(self.app.root, "push button", _("_Get It from Kamu SM (Şifreli Giriş)"))
        self.screenshot_root("unblock-choice")
        self.app.click(typed)
        unblock = self.top("dialog", _("Unlock the Card"), timeout=30)
        check(_("Three wrong unblock codes in a row make the card unusable for good.")
              in texts_in(unblock),
              "the unblock code's tries must be shown before it is typed: %r" % texts_in(unblock))
        check(any("Şifreli Giriş" in t for t in texts_in(unblock)),
              "the dialog must say the online route is coming: %r" % texts_in(unblock))
        code = find_in(unblock, "password text", _("Unblock code (PUK)"))
        new = find_in(unblock, "password text", _("New PIN"))
        repeat = find_in(unblock, "password text", _("Repeat the new PIN"))
        accept = find_in(unblock, "push button", _("_Unlock and Set PIN"))
        check(not g.is_sensitive(accept), "Unlock must wait for the code and the PINs")
        g.secret_canary.secret("PUK", UNBLOCK_CODE)
        g.secret_canary.secret("PIN", UNBLOCKED_PIN)

        # A weak new PIN is refused in the dialog, before the card is touched.
        self.type_secret(code, UNBLOCK_CODE)
        self.type_secret(new, "123456")
        self.type_secret(repeat, "123456")
        self.wait_sensitive(accept, "Unlock to become sensitive")
        self.app.click(accept)
        weak = _("Digits in a row (such as 123456 or 654321) are too easy to guess. "
                 "Choose another PIN.")
        wait_for(lambda: weak in texts_in(unblock),
                 "the weak PIN's reason (dialog shows %r)" % texts_in(unblock))
        counts = read_state_counts(self.pin_state)
        check(counts.get("so_logins", 0) == 0 and counts.get("init_pins", 0) == 0,
              "a weak PIN must not reach the card: %r" % counts)

        self.type_secret(new, UNBLOCKED_PIN)
        self.type_secret(repeat, UNBLOCKED_PIN)
        self.wait_sensitive(accept, "Unlock to become sensitive")
        self.screenshot_root("unblock-dialog")
        allow_one_so_login(self.pin_state)
        self.app.click(accept)
        self.top_gone("dialog", _("Unlock the Card"))

        # The test signature asks for the new PIN and proves it.
        pin = self.pin_dialog()
        unlocked = format_re("The card is unlocked. Type the new PIN once more: a short test "
                             "text will be signed with the certificate of %s, to check the "
                             "card and the new PIN. Nothing is sent anywhere.")
        check(any(unlocked.match(t) for t in texts_in(pin)),
              "the PIN dialog must say the card is unlocked: %r" % texts_in(pin))
        counts = read_state_counts(self.pin_state)
        check(counts.get("so_logins") == 1 and counts.get("init_pins") == 1 and
              counts.get("failures") == 0 and counts.get("so_unasked", 0) == 0 and
              counts.get("logins") == logins,
              "one SO login, one C_InitPIN, the PIN unlocked: %r" % counts)
        self.enter_pin(UNBLOCKED_PIN, screenshot="unblock-test-pin")
        self.wait_result_verified(dialog)
        self.screenshot_root("unblock-verified")
        counts = read_state_counts(self.pin_state)
        check(counts.get("logins") == logins + 1 and counts.get("so_logins") == 1 and
              counts.get("so_unasked", 0) == 0, "PIN policy state %r" % counts)
        self.user_pin = UNBLOCKED_PIN

    def step_pin_change(self):
        """Change PIN from the card popover: the PIN state shown before the
        current PIN is typed, a weak new PIN refused in the dialog with its
        reason and nothing sent, then the change; the certificates window's
        test signature then works with the new PIN."""
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Certificates on the Card"))
        logins = read_pin_state(self.pin_state)["logins"]
        check(read_set_pins(self.pin_state) == 0, "no PIN change yet")
        self.open_popover()
        self.screenshot_root("card-popover-change-pin")
        self.app.click(find_in(self.app.root, "push button", _("Change _PIN…")))
        dialog = self.top("dialog", _("Change the Card PIN"), timeout=30)
        check(_("Three wrong PINs in a row lock the card.") in texts_in(dialog),
              "the PIN state must be shown before the current PIN: %r" % texts_in(dialog))
        current = find_in(dialog, "password text", _("Current PIN"))
        new = find_in(dialog, "password text", _("New PIN"))
        repeat = find_in(dialog, "password text", _("Repeat the new PIN"))
        change = find_in(dialog, "push button", _("C_hange PIN"))
        check(not g.is_sensitive(change), "Change PIN must wait for the PINs")
        g.secret_canary.secret("PIN", NEW_PIN)

        # One digit repeated: refused with its reason, the dialog stays.
        self.type_secret(current, self.user_pin)
        self.type_secret(new, "111111")
        self.type_secret(repeat, "111111")
        self.wait_sensitive(change, "Change PIN to become sensitive")
        self.app.click(change)
        weak = _("One digit repeated (such as 111111) is too easy to guess. Choose another PIN.")
        wait_for(lambda: weak in texts_in(dialog),
                 "the weak PIN's reason (dialog shows %r)" % texts_in(dialog))
        check(new.queryText().characterCount == 0 and repeat.queryText().characterCount == 0,
              "a refused new PIN is typed again")
        check(current.queryText().characterCount == len(self.user_pin),
              "the current PIN stays as typed")
        self.screenshot_root("pin-change-weak")
        check(read_set_pins(self.pin_state) == 0 and
              read_pin_state(self.pin_state) == {"failures": 0, "logins": logins},
              "a weak PIN must not reach the card")

        self.type_secret(new, NEW_PIN)
        self.type_secret(repeat, NEW_PIN)
        self.wait_sensitive(change, "Change PIN to become sensitive")
        self.screenshot_root("pin-change-dialog")
        self.app.click(change)
        self.top_gone("dialog", _("Change the Card PIN"))
        done = find_in(self.app.root, "label", _("The PIN was changed"), timeout=30)
        check(done is not None, "the change must be confirmed")
        self.screenshot_root("pin-change-done")
        check(read_set_pins(self.pin_state) == 1 and
              read_pin_state(self.pin_state) == {"failures": 0, "logins": logins},
              "one C_SetPIN and no login: %r, %d" % (read_pin_state(self.pin_state),
                                                    read_set_pins(self.pin_state)))
        rawinput.pressKey("Return")
        wait_for(lambda: not find_all_in(self.app.root, "label", _("The PIN was changed")),
                 "the confirmation to close")
        self.user_pin = NEW_PIN

        # The certificates window signs with the new PIN.
        self.open_popover()
        self.app.click(find_in(self.app.root, "push button", _("_Certificates…")))
        dialog = self.start_test_signature()
        self.enter_pin(NEW_PIN)
        self.wait_result_verified(dialog)
        state = read_pin_state(self.pin_state)
        check(state == {"failures": 0, "logins": logins + 1}, "PIN policy state %r" % state)
        self.screenshot_root("pin-change-new-pin-signs")

    def write_state(self, **changes):
        """Set some of the PIN policy module's counters, keeping the rest."""
        counts = read_state_counts(self.pin_state)
        counts.update(changes)
        order = ["failures", "logins", "set_pins", "so_failures", "so_logins", "init_pins",
                 "so_allowed", "so_unasked"]
        with open(self.pin_state + ".tmp", "w") as f:
            for key in order:
                f.write("%s=%d\n" % (key, counts.get(key, 0)))
        os.rename(self.pin_state + ".tmp", self.pin_state)

    def step_sifreli_unlock(self):
        """A card locked on purpose, its unblock code at its last try: Unlock…
        → Kamu SM (Şifreli Giriş): number, security word, captcha, the SMS
        code; the PIN dialog asks only the new PIN (twice) and the last try's
        confirmation; one SO login and one C_InitPIN; the test signature
        with the new PIN verifies."""
        g.secret_canary.secret("security word", SECURITY_WORD)
        g.secret_canary.secret("PIN", SIFRELI_PIN)
        dialog = self.certificates_dialog()
        before = read_state_counts(self.pin_state)
        self.write_state(failures=3, so_failures=2)
        rawinput.absoluteMotion(100, 700)
        time.sleep(0.5)
        self.start_test_signature()
        find_in(dialog, "label", _("Your card is locked"), timeout=30)
        self.app.click(find_in(dialog, "push button", _("_Unlock…")))
        self.app.click(find_in(self.app.root, "push button",
                               _("_Get It from Kamu SM (Şifreli Giriş)"), timeout=30))

        unlock = self.top("dialog", _("Unlock with Kamu SM"), timeout=30)
        check(any(_("its new certificate works only after the old one has expired") in t
                  or "eskisinin süresi dolduktan sonra" in t for t in texts_in(unlock)),
              "the renewal's new card must be explained: %r" % texts_in(unlock)[:3])
        wait_for(lambda: self.sim.requests(r"^NES-SIFRELI GET /nb/sifreliResim\.go -> 200"),
                 "the captcha image to be loaded", timeout=30)
        tckn = find_in(unlock, "text", _("T.C. Kimlik No"))
        word = find_in(unlock, "password text", _("Security word"))
        captcha = find_in(unlock, "text", _("Text in the image"))
        self.type_secret(tckn, TCKN)
        self.type_secret(word, SECURITY_WORD)
        self.type_secret(captcha, self.sim.captcha())
        self.screenshot_root("sifreli-sign-in")
        self.app.click(find_in(unlock, "push button", _("Sign in")))

        code = wait_for(lambda: self.sim.sms_messages(), "the SMS code to be sent", timeout=30)[-1][1]
        sms = find_in(unlock, "password text", _("SMS code"), timeout=30)
        wait_for(lambda: any(re.match(r"^%s" % re.escape(_("Time left for the code: %d:%02d")
                                                          .split("%")[0]), t)
                             for t in texts_in(unlock)),
                 "the SMS code's countdown")
        self.type_secret(sms, code)
        self.screenshot_root("sifreli-sms")
        self.app.click(find_in(unlock, "push button", _("Confirm SMS code")))

        set_pin = find_in(unlock, "push button", _("Set new PIN"), timeout=30)
        self.wait_sensitive(set_pin, "Set New PIN to become sensitive (the card's certificate)")
        counts = read_state_counts(self.pin_state)
        check(counts.get("so_logins") == before.get("so_logins") and
              counts.get("init_pins") == before.get("init_pins"),
              "nothing may reach the card before the person sets the PIN: %r" % counts)
        self.screenshot_root("sifreli-code-received")
        self.app.click(set_pin)

        pin = self.top("dialog", _("Unlock the Card: Last Try"), timeout=30)
        check(not find_all_in(pin, "password text", _("Unblock code (PUK)")),
              "the code Kamu SM gave must not be asked for")
        new = find_in(pin, "password text", _("New PIN"))
        repeat = find_in(pin, "password text", _("Repeat the new PIN"))
        accept = find_in(pin, "push button", _("_Unlock and Set PIN"))
        self.type_secret(new, SIFRELI_PIN)
        self.type_secret(repeat, SIFRELI_PIN)
        time.sleep(0.3)
        check(not g.is_sensitive(accept), "the code's last try needs the confirmation first")
        self.app.click(find_in(pin, "check box",
                               _("I _accept that a wrong code makes my card unusable")))
        self.wait_sensitive(accept, "Unlock to become sensitive once confirmed")
        self.screenshot_root("sifreli-new-pin-last-try")
        allow_one_so_login(self.pin_state)
        self.app.click(accept)
        self.top_gone("dialog", _("Unlock the Card: Last Try"))

        test_pin = self.pin_dialog()
        unlocked = format_re("The card is unlocked. Type the new PIN once more: a short test "
                             "text will be signed with the certificate of %s, to check the "
                             "card and the new PIN. Nothing is sent anywhere.")
        check(any(unlocked.match(t) for t in texts_in(test_pin)),
              "the test signature's PIN dialog must say what it is for: %r" % texts_in(test_pin))
        self.enter_pin(SIFRELI_PIN, screenshot="sifreli-test-pin")
        done = _("The card is unlocked and takes the new PIN: the test signature with it "
                 "worked. Use the new PIN for every signature from now on.")
        wait_for(lambda: done in texts_in(unlock), "the unlock's result (shows %r)"
                 % texts_in(unlock)[:6], timeout=30)
        self.screenshot_root("sifreli-done")
        counts = read_state_counts(self.pin_state)
        check(counts.get("so_logins") == before.get("so_logins", 0) + 1 and
              counts.get("init_pins") == before.get("init_pins", 0) + 1 and
              counts.get("failures") == 0 and counts.get("so_failures") == 0 and
              counts.get("so_unasked", 0) == 0,
              "one SO login with Kamu SM's code, one C_InitPIN: %r" % counts)
        self.app.click(find_in(unlock, "push button", _("_Close")))
        self.top_gone("dialog", _("Unlock with Kamu SM"))
        self.user_pin = SIFRELI_PIN

        # The certificates window, shown again, signs with the new PIN too.
        rawinput.absoluteMotion(100, 700)
        time.sleep(0.5)
        self.start_test_signature()
        self.enter_pin(SIFRELI_PIN)
        self.wait_result_verified(dialog)
        check(read_state_counts(self.pin_state).get("failures") == 0, "the new PIN signs")

    def step_diagnostics(self):
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Certificates on the Card"))
        self.open_popover()
        self.app.click(find_in(self.app.root, "push button", _("_Diagnostics…")))
        dialog = self.top("dialog", _("Card Diagnostics"))
        good = ngettext_re("Everything needed for signing works: the service, the reader “%s”, "
                           "the card and %u certificate for e-signatures.",
                           "Everything needed for signing works: the service, the reader “%s”, "
                           "the card and %u certificates for e-signatures.")
        wait_for(lambda: any(good.match(t) for t in texts_in(dialog)),
                 "the diagnostics verdict (shows %r)" % texts_in(dialog)[:3], timeout=30)
        texts = texts_in(dialog)
        check(any(CARD_TYPE in t for t in texts), "diagnostics must show the card type")
        check(any(os.path.basename(PIN_POLICY_MODULE) in t for t in texts),
              "diagnostics must list the configured module")
        self.screenshot_root("diagnostics")

        copy = find_in(dialog, "push button", _("_Copy Report"))
        self.app.click(copy)
        wait_for(lambda: find_all_in(dialog, "push button", _("Copied")), "the report to be copied")
        from gi.repository import Gdk, Gtk  # noqa: E402  (only here: needs the display)
        report = Gtk.Clipboard.get(Gdk.SELECTION_CLIPBOARD).wait_for_text() or ""
        report_path = os.path.join(ARTIFACTS, "diagnostics-report.txt")
        with open(report_path, "w") as f:
            f.write(report)
        # The report is meant to be shared: the canary reads it too.
        g.secret_canary.log_file(report_path)
        check("pcscd" in report and READER in report and CARD_TYPE in report,
              "the report misses facts:\n%s" % report)
        check(TCKN not in report and HOLDER not in report and USER_PIN not in report and
              NEW_PIN not in report,
              "the report must not contain the T.C. Kimlik No, names or a PIN:\n%s" % report)
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Card Diagnostics"))

    def step_card_removed(self):
        self.card.remove()
        self.card = None
        took = self.wait_status(_("No card inserted"))
        check(took < 5, "the status took %.1f s to follow the removal" % took)
        self.app.screenshot("card-removed")

    def step_pinpad(self):
        """A reader with a keypad: the PIN dialog has no entry and says to
        use the keypad; the module takes the "typed" PIN."""
        status = self.app.quit()
        check(status == 0, "the first app exited with status %s" % status)
        self.app.check_stderr()
        self.card = vpcd_card.VirtualCard().insert()
        env = dict(self.app_env)
        env["EIMZA_PIN_POLICY_PINPAD"] = self.user_pin
        self.app = g.App(APP, ARTIFACTS, "card-pinpad-" + LANG, env=env,
                         args=["--pkcs11-module", PIN_POLICY_MODULE])
        self.app.start()
        self.wait_status(ngettext_re("%s · %u certificate", "%s · %u certificates"), timeout=30)
        self.open_popover()
        self.app.click(find_in(self.app.root, "push button", _("_Certificates…")))
        dialog = self.start_test_signature()
        pin = self.pin_dialog()
        # The text names the dialog's own button, as the person sees it.
        sign = find_in(pin, "push button", _("_Sign"))
        keypad = _("Enter the PIN on the card reader’s keypad. The reader asks for it after "
                   "you choose “%s”.") % sign.name
        wait_for(lambda: keypad in texts_in(pin), "the PIN dialog to point to the keypad")
        check(not find_all_in(pin, "password text"), "a pinpad reader must get no PIN entry")
        self.screenshot_root("pinpad-dialog")
        self.app.click(find_in(pin, "push button", _("_Sign")))
        self.wait_result_verified(dialog)
        self.screenshot_root("pinpad-verified")
        rawinput.pressKey("Escape")
        self.top_gone("dialog", _("Certificates on the Card"))


def main():
    t = CardTest()
    steps = [
        ("app starts without pcscd: 'card service not running', with advice",
         t.step_start_without_pcscd),
        ("pcscd starts: 'no card inserted'", t.step_pcscd_starts),
        ("virtual AKİS card inserted: card type and 4 certificates", t.step_card_inserted),
        ("certificates dialog lists the token's certificates", t.step_certificates_dialog),
        ("certificate details", t.step_details),
        ("test signature with the right PIN verifies", t.step_test_signature),
        ("two wrong PINs: loud last try that needs confirmation", t.step_wrong_pins),
        ("a locked card: the unlock link, and no PIN dialog", t.step_locked_card),
        ("Unlock: unblock code and new PIN, then the test signature verifies",
         t.step_unblock),
        ("PIN change from the card popover: weak PIN refused, new PIN signs",
         t.step_pin_change),
        ("a locked card unlocked with Kamu SM's code (Şifreli Giriş), last try confirmed",
         t.step_sifreli_unlock),
        ("diagnostics names no broken link; report without T.C. Kimlik No", t.step_diagnostics),
        ("card removed: 'no card inserted'", t.step_card_removed),
        ("a reader with a keypad: no PIN entry, the signature verifies", t.step_pinpad),
    ]
    return g.run_checks(steps, final=("app closes cleanly", t.final_quit), on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
