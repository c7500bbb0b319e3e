#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reminders GUI test: the app records a card's signing certificate when it
sees the card, the welcome page says what its expiry means now, and a
reminder sent by `eimza-asistan --check-expiry --daily` to a real
notification server opens the renewal when clicked; in Turkish.

The clock is fixed with EIMZA_TEST_NOW (test-only) at 01.04.2027, 09:00 in
Turkey; the current card's certificate ends on 15.06.2027 (the application
window opened on 15.03.2027).  Steps:

- the card is inserted: the store in XDG_DATA_HOME holds its serial, mode
  0600, and neither the holder's name nor the T.C. Kimlik No; the welcome
  page shows "application window open" (the file is followed);
- `--check-expiry --daily` sends one notification (dbus-monitor sees one
  Notify) to notification-daemon; its "Apply for Renewal" button, clicked
  through AT-SPI, brings the running app to the renewal's sign-in page;
- the main menu's reminders switch turns them off: `--check-expiry` on the
  40-day date prints so and sends nothing; on again;
- the renewed card (a newer certificate of the same holder and issuer):
  the welcome page says the new one becomes valid when the old one ends,
  and no reminder is sent for the old one on its 14-day date.

Run through run-gui-reminders-test.sh (meson test --suite gui-reminders).
"""

import os
import re
import stat
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gui-common"))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import check, log, wait_for  # noqa: E402
import pyatspi  # noqa: E402

import card_gui as cg  # noqa: E402
from card_gui import _, LANG, TCKN, HOLDER, find_in, find_all_in, texts_in  # noqa: E402
import vpcd_card  # noqa: E402

BUILDDIR = os.environ["EIMZA_BUILDDIR"]
APP = os.environ.get("EIMZA_APP", os.path.join(BUILDDIR, "src", "ui", "eimza-asistan"))
ARTIFACTS = os.environ.get("EIMZA_GUI_ARTIFACTS",
                           os.path.join(BUILDDIR, "tests", "gui-reminders-artifacts"))
SCRATCH = os.environ["EIMZA_GUI_REMINDERS_SCRATCH"]
SOFTHSM = cg.SOFTHSM_MODULE
DAEMON = "/usr/lib/notification-daemon/notification-daemon"

NOW = "2027-04-01T09:00:00+03:00"
OLD_END = "2027-06-15 07:00:00 UTC"
NEW_END = "2030-06-01 07:00:00 UTC"
STORE = os.path.join(os.environ["XDG_DATA_HOME"], "eimza-asistan", "certificates.ini")


def cert_serial(path):
    out = subprocess.run(["openssl", "x509", "-in", path, "-noout", "-serial"],
                         check=True, capture_output=True, text=True).stdout
    return out.strip().split("=", 1)[1].lower().lstrip("0")


class RemindersTest(cg.CardGuiTest):
    failure_window_shot = True

    def __init__(self):
        super().__init__(ARTIFACTS)
        self.daemon = None
        self.monitor = None
        self.daily = None
        self.monitor_log = os.path.join(ARTIFACTS, "notify-calls.log")

    # -- helpers ----------------------------------------------------------------

    def env(self, now=NOW, card="old"):
        """The app's environment (the session's, the language, the card's
        token, the fixed clock), also for --check-expiry."""
        env = dict(os.environ)
        env.update(cg.app_env(os.path.join(self.token_dir, card)))
        env["EIMZA_TEST_NOW"] = now
        env["TZ"] = "<+03>-3"
        # The switch is seen by --check-expiry: a settings file, not memory.
        env["GSETTINGS_BACKEND"] = "keyfile"
        return env

    def start_app(self, name, card):
        # A portal that refuses at once: the renewal's sign-in page shows
        # without reaching any site.
        self.app = g.App(APP, ARTIFACTS, name, env=self.env(card=card),
                         args=["--pkcs11-module", SOFTHSM, "--portal-profile", "simulator",
                               "--portal-url", "https://127.0.0.1:9/"])
        self.app.start()

    def wait_status_count(self):
        """The header bar's card status counts the one certificate
        ("… · 1 certificate", "… · 1 sertifika")."""
        def status():
            for n in find_all_in(self.app.window, "toggle button"):
                if n.name and " · 1 " in n.name:
                    return n.name
            return None
        log("card status: %s" % wait_for(status, "the card status to count 1 certificate", 30))

    def notify_calls(self):
        try:
            with open(self.monitor_log) as f:
                return f.read().count("member=Notify")
        except FileNotFoundError:
            return 0

    def check_expiry(self, now, *extra):
        proc = subprocess.run([APP, "--check-expiry"] + list(extra), env=self.env(now=now),
                              capture_output=True, text=True, timeout=60)
        for line in ("--check-expiry at %s:\n%s%s" % (now, proc.stdout, proc.stderr)).splitlines():
            log(line)
        check(proc.returncode == 0, "--check-expiry exited with %d" % proc.returncode)
        return proc.stdout

    def settle(self):
        """Every call so far has reached dbus-monitor once a marker has."""
        before = open(self.monitor_log).read().count("member=GetCapabilities")
        subprocess.run(["gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications",
                        "--object-path", "/org/freedesktop/Notifications", "--method",
                        "org.freedesktop.Notifications.GetCapabilities"],
                       check=True, capture_output=True)
        wait_for(lambda: open(self.monitor_log).read().count("member=GetCapabilities") > before,
                 "dbus-monitor to see the marker call")

    def welcome_texts(self):
        return texts_in(self.app.window)

    # -- steps ----------------------------------------------------------------------

    def step_card_seen(self):
        self.lock_pcscd("the reminders GUI test")
        self.token_dir = os.path.join(SCRATCH, "cards")
        subprocess.run(["sh", os.path.join(HERE, "make-reminder-tokens.sh"), self.token_dir,
                        OLD_END, NEW_END], check=True, stdin=subprocess.DEVNULL)
        self.start_reader()
        check(not os.path.exists(STORE), "a store exists before any card was seen")
        self.start_app("reminders-" + LANG, "old")
        self.wait_status_count()

        serial = cert_serial(os.path.join(self.token_dir, "old", "cert.pem"))
        wait_for(lambda: os.path.exists(STORE) and serial in open(STORE).read(),
                 "the store to hold the card's certificate (serial %s)" % serial)
        text = open(STORE).read()
        for line in text.splitlines():
            log("store: " + line)
        check(stat.S_IMODE(os.stat(STORE).st_mode) == 0o600, "the store is not mode 0600")
        for secret in (TCKN, "AHMET", "YILMAZ", "Ahmet", "Yılmaz"):
            check(secret not in text, "the store holds %r" % secret)
        check("not-after=2027-06-15T07:00:00Z" in text, "the store lacks the end of validity")

        title = _("Application window open")
        wait_for(lambda: title in self.welcome_texts(),
                 "the welcome page to say %r (says %r)" % (title, self.welcome_texts()))
        body = [t for t in self.welcome_texts() if "15.06.2027" in t]
        log("welcome page: %r" % body)
        check(body and re.search(r"\b75\b", body[0]), "the welcome page's text: %r" % body)
        self.app.screenshot("welcome-window-open")

    def step_notification_opens_renewal(self):
        self.daemon = subprocess.Popen([DAEMON], stdout=open(os.path.join(ARTIFACTS, "daemon.log"), "w"),
                                       stderr=subprocess.STDOUT)
        self.monitor = subprocess.Popen(["stdbuf", "-oL", "dbus-monitor", "--session",
                                         "type='method_call',interface='org.freedesktop.Notifications'"],
                                        stdout=open(self.monitor_log, "w"),
                                        stderr=subprocess.DEVNULL)
        wait_for(lambda: subprocess.run(
            ["gdbus", "call", "--session", "--dest", "org.freedesktop.Notifications",
             "--object-path", "/org/freedesktop/Notifications", "--method",
             "org.freedesktop.Notifications.GetServerInformation"],
            capture_output=True).returncode == 0, "notification-daemon on the bus")
        self.settle()

        log_path = os.path.join(ARTIFACTS, "check-daily.log")
        self.daily = subprocess.Popen([APP, "--check-expiry", "--daily"], env=self.env(),
                                      stdout=open(log_path, "w"), stderr=subprocess.STDOUT)
        wait_for(lambda: self.notify_calls() == 1, "one Notify call", 20)
        log_text = open(log_path).read()
        check("\twindow-open\twindow\t" in log_text, "--daily printed: %r" % log_text)

        button_name = _("Apply for Renewal")

        def bubble_button():
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                a = desktop.getChildAtIndex(i)
                if a is None or a.name != "notification-daemon":
                    continue
                for b in find_all_in(a, "push button", button_name):
                    if g.is_showing(b):
                        return b
            return None
        button = wait_for(bubble_button, "notification-daemon's bubble with %r" % button_name, 20)
        self.screenshot_root("notification")
        self.app.click(button)

        sign_in = _("Step 1 of 4: Sign in")
        wait_for(lambda: sign_in in texts_in(self.app.window) or
                 any(sign_in == getattr(n, "name", None) for n in find_all_in(self.app.window, "label")),
                 "the app to show the renewal's sign-in page (%r)" % sign_in, 30)
        self.app.screenshot("renewal-from-notification")
        self.settle()
        check(self.notify_calls() == 1, "Notify was called %d times" % self.notify_calls())
        self.daily.terminate()
        self.daily.wait(10)
        self.daily = None
        # Back to the welcome page for the next steps.
        self.app.click(self.app.find("push button", _("Back")))

    def setting(self):
        out = subprocess.run(["gsettings", "get", "io.github.eimza.Asistan", "expiry-reminders"],
                             env=self.env(), check=True, capture_output=True, text=True).stdout
        return out.strip()

    def click_menu_switch(self):
        self.app.click(self.app.find("toggle button", _("Main Menu")))
        # GTK 3's model button: a check box, whose state AT-SPI does not
        # show; the setting it writes is checked instead.
        item = self.app.find("check box", _("_Remind Me Before My Certificate Expires"))
        self.screenshot_root("menu-%s" % self.setting())
        self.app.click(item)
        # A check item leaves the menu open: closed as a person would.
        if self.app.exists("check box", _("_Remind Me Before My Certificate Expires")):
            self.app.press("Escape")
        self.app.wait_gone("check box", _("_Remind Me Before My Certificate Expires"))

    def step_menu_switch(self):
        check(self.setting() == "true", "the reminders are not on at first: %s" % self.setting())
        self.click_menu_switch()
        wait_for(lambda: self.setting() == "false", "the menu's switch to turn the setting off")
        out = self.check_expiry("2027-05-10T09:00:00+03:00")
        self.settle()
        check("# reminders are off (setting expiry-reminders)" in out, "not said off: %r" % out)
        check("\t36\twindow-open\t-\t" in out, "a reminder was sent with the switch off: %r" % out)
        check(self.notify_calls() == 1, "Notify was called %d times" % self.notify_calls())
        self.click_menu_switch()
        wait_for(lambda: self.setting() == "true", "the menu's switch to turn the setting on")

    def step_renewed(self):
        status = self.app.quit()
        check(status == 0, "the app exited with %s; stderr:\n%s" % (status, self.app.stderr_tail()))
        self.app.check_stderr()
        self.card.remove()
        self.card = vpcd_card.VirtualCard().insert()
        self.start_app("reminders-renewed-" + LANG, "new")
        self.wait_status_count()
        serial = cert_serial(os.path.join(self.token_dir, "new", "cert.pem"))
        wait_for(lambda: serial in open(STORE).read(), "the store to hold the new certificate")
        title = _("Your new certificate becomes valid when the old one ends")
        wait_for(lambda: title in self.welcome_texts(),
                 "the welcome page to say %r (says %r)" % (title, self.welcome_texts()))
        self.app.screenshot("welcome-renewed")
        out = self.check_expiry("2027-06-01T09:00:00+03:00")
        self.settle()
        check("\trenewed\t-\t" in out, "the old certificate is not shown as renewed: %r" % out)
        check(self.notify_calls() == 1, "Notify was called %d times" % self.notify_calls())

    def final(self):
        try:
            for proc in (self.daily, self.monitor, self.daemon):
                if proc is not None and proc.poll() is None:
                    proc.terminate()
                    proc.wait(10)
        finally:
            self.final_quit()


def main():
    t = RemindersTest()
    steps = [
        ("the card is seen: its certificate in the store, the welcome page's "
         "'application window open'", t.step_card_seen),
        ("--check-expiry --daily: one notification; its button opens the renewal",
         t.step_notification_opens_renewal),
        ("the main menu's switch turns the reminders off", t.step_menu_switch),
        ("a renewed card: the welcome page says when the new one starts; no reminder",
         t.step_renewed),
    ]
    return g.run_checks(steps, final=("app closes cleanly", t.final), on_failure=t.on_failure)


if __name__ == "__main__":
    sys.exit(main())
