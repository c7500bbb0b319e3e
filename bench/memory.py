#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Memory benchmark: the app's RSS idle after start-up, after a full renewal
and after a full e-onay, in one app process.

Run through bench/memory.sh, which builds the release tree and starts this
under Xvfb, a private D-Bus session and the a11y bus (tests/gui-common's
gui-env.sh).  The app is driven through AT-SPI with the GUI suites' own
steps (tests/gui-renewal's Scenario, tests/gui-eonay's EonayTest) against
the portal simulator, whose NES site serves the e-onay, with pcscd, a
virtual card and the SoftHSM2 token, as the GUI suites do.  Prints figures,
judges nothing: the goal line says "met" or "not met".  See bench/README.md.
"""

import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SRCDIR = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SRCDIR, "tests", "gui-common"))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "gui-renewal"))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "gui-eonay"))

# The e-onay suite keeps its files in its scratch dir: ours (gui-env.sh).
os.environ.setdefault("EIMZA_GUI_EONAY_SCRATCH", os.environ.get("EIMZA_GUI_MEMORY_SCRATCH", ""))

import eimza_gui as g  # noqa: E402  (sets dogtail up before importing it)
from eimza_gui import log, wait_for  # noqa: E402
import card_gui as cg  # noqa: E402
import test_gui_renewal as renewal  # noqa: E402
import test_gui_eonay as eonay  # noqa: E402

GOAL_RATIO = 1.5
# RSS counts as settled when it moved less than this over SETTLE_WINDOW_S.
SETTLE_KIB = 256
SETTLE_WINDOW_S = 2.0
SETTLE_TIMEOUT_S = 20.0


def memory_of(pid):
    """(RSS, Private_Dirty) of pid in KiB, from /proc/PID/smaps_rollup."""
    values = {}
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            m = re.match(r"^(\w+):\s+(\d+) kB$", line)
            if m:
                values[m.group(1)] = int(m.group(2))
    return values["Rss"], values["Private_Dirty"]


def breakdown_of(pid):
    """RSS in KiB by kind of mapping, from /proc/PID/smaps: the malloc heap
    (the main arena and the threads' anonymous arenas together), other
    anonymous memory, and file-backed pages (library code and data, fonts,
    the icon cache, GResources)."""
    kinds = {"heap": 0, "anonymous": 0, "files": 0}
    kind = None
    with open("/proc/%d/smaps" % pid) as f:
        for line in f:
            m = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
            if m:
                name = m.group(1).strip()
                if name in ("[heap]",):
                    kind = "heap"
                elif name == "" or name.startswith("["):
                    kind = "anonymous"
                else:
                    kind = "files"
                continue
            m = re.match(r"^Rss:\s+(\d+) kB$", line)
            if m and kind:
                kinds[kind] += int(m.group(1))
    return kinds


def settled_memory(pid, what):
    """The memory once it stopped moving (the pages module loads after the
    first frame; a page's images and fonts come a moment after it shows)."""
    samples = []
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        samples.append((time.monotonic(), memory_of(pid)))
        window = [s for s in samples if s[0] >= samples[-1][0] - SETTLE_WINDOW_S]
        if window[-1][0] - samples[0][0] >= SETTLE_WINDOW_S:
            rss = [s[1][0] for s in window]
            if max(rss) - min(rss) < SETTLE_KIB:
                break
        if time.monotonic() > deadline:
            log("%s: RSS still moving after %.0f s; taking the last sample"
                % (what, SETTLE_TIMEOUT_S))
            break
        time.sleep(0.25)
    rss, dirty = samples[-1][1]
    kinds = breakdown_of(pid)
    log("%s: RSS %.1f MiB, Private_Dirty %.1f MiB (%s)"
        % (what, rss / 1024, dirty / 1024,
           ", ".join("%s %.1f MiB" % (k, v / 1024) for k, v in kinds.items())))
    return rss, dirty, kinds


def malloc_totals(app):
    """(system bytes, in-use bytes) of glibc's malloc in the app, in KiB:
    malloc_stats() called through gdb writes them to the app's stderr."""
    mark = len(app.stderr_text())
    subprocess.run(["gdb", "-p", str(app.proc.pid), "-batch", "-nx",
                    "-ex", "call (void) malloc_stats()"],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=60, check=False)
    text = wait_for(lambda: (lambda t: t if "in use bytes" in t.split("Total (incl. mmap)")[-1]
                             and "Total (incl. mmap)" in t else None)(app.stderr_text()[mark:]),
                    "malloc_stats() in the app's stderr", 30)
    total = text.split("Total (incl. mmap)")[-1]
    system = int(re.search(r"system bytes\s*=\s*(\d+)", total).group(1))
    in_use = int(re.search(r"in use bytes\s*=\s*(\d+)", total).group(1))
    return system // 1024, in_use // 1024


class MemoryRun(eonay.EonayTest):
    """One app with both sites: the renewal scenario of tests/gui-renewal and
    the e-onay of tests/gui-eonay, one after the other, rounds times."""

    def __init__(self, malloc_stats=False, heaptrack=None):
        super().__init__()
        self.malloc_stats = malloc_stats
        self.heaptrack_file = heaptrack
        self.heaptrack = None
        self.heap = []
        self.scenario = None
        self.sim = None
        self.figures = []

    def setup(self):
        self.lock_pcscd("the memory benchmark")
        self.make_token(eonay.SCRATCH, second_person=True)
        self.start_reader()
        # The renewal's SMS page waits for the resend countdown once.
        self.sim = cg.NesSim(eonay.SIM, eonay.SCRATCH, "sim", self.test_ca(),
                             args=["--sms-resend-seconds", str(renewal.SMS_RESEND_SECONDS)],
                             signature_log=False).start()
        self.sims.append(self.sim)
        env = cg.app_env(self.token_dir)
        # As a person runs it: no debug messages.
        env["G_MESSAGES_DEBUG"] = ""
        if self.heaptrack_file:
            # GLib 2.74's slice allocator would show heaptrack its slabs,
            # not the blocks in them and who asked for them.
            env["G_SLICE"] = "always-malloc"
        self.app = g.App(eonay.APP, eonay.ARTIFACTS, "memory", env=env,
                         args=["--pkcs11-module", cg.SOFTHSM_MODULE,
                               "--portal-profile", "simulator",
                               "--portal-url", self.sim.url, "--portal-ca", self.sim.ca,
                               "--eonay-url", self.sim.nes_url])
        self.scenario = renewal.Scenario(use_portal=True)
        self.scenario.app = self.app
        self.scenario.apps = [self.app]
        self.scenario.sim = self.sim
        self.app.start()
        self.measure("idle after start-up")
        if self.heaptrack_file:
            self.attach_heaptrack()

    def attach_heaptrack(self):
        """heaptrack from the idle point on: what it reports as leaked once
        the app is killed is what the app allocated since, and still held."""
        os.makedirs(os.path.dirname(os.path.abspath(self.heaptrack_file)), exist_ok=True)
        out = open(self.heaptrack_file + ".log", "w")
        # heaptrack 1.4 reads -o only before -p.
        self.heaptrack = subprocess.Popen(["heaptrack", "-o", self.heaptrack_file,
                                           "-p", str(self.app.proc.pid)],
                                          stdin=subprocess.DEVNULL, stdout=out,
                                          stderr=subprocess.STDOUT)
        wait_for(lambda: "injection finished" in open(self.heaptrack_file + ".log").read(),
                 "heaptrack to attach to the app", 120)

    def stop_under_heaptrack(self):
        """Kills the app where it stands (a clean exit would free the pages
        first) and waits for heaptrack to write its file."""
        self.app.kill()
        self.heaptrack.wait(600)
        self.app.quit()
        log("heaptrack: %s.zst (or .gz); read it with heaptrack_print --print-leaks"
            % self.heaptrack_file)

    def measure(self, what):
        self.figures.append((what,) + settled_memory(self.app.proc.pid, what))
        if self.malloc_stats:
            system, in_use = malloc_totals(self.app)
            self.heap.append((what, system, in_use))
            log("%s: malloc holds %.1f MiB from the system, %.1f MiB in use"
                % (what, system / 1024, in_use / 1024))

    def renew(self, round_number):
        s = self.scenario
        s.welcome_page()
        s.login_accepts_valid_data()
        s.form_refuses_other_province_postal_code()
        s.form_accepts_valid_data()
        s.form_confirm_leads_to_sms()
        s.sms_wrong_then_right_code()
        s.method_page_applies_with_eonay()
        s.result_page_shows_application_number()
        self.measure("after renewal %d" % round_number)

    def give_eonay(self, round_number):
        """Log in with the card, sign the login code (the fixture person's
        e-onay is active), cancel it, give it again: consent, the
        commitment signed; Done."""
        self.open_eonay_page()
        self.app.click(self.step_button("_Log In"))
        self.enter_pin(cg.USER_PIN, accept="_Log In")
        self.wait_text(cg._("Step 2 of 4: Sign the login code"), "the login code's signing step",
                       timeout=30)
        self.step_sign_login()
        self.step_cancel_eonay()
        self.step_consent()
        self.step_sign_commitment()
        self.measure("after e-onay %d" % round_number)
        if self.heaptrack is not None:
            self.stop_under_heaptrack()

    def final_quit(self):
        if self.heaptrack is not None and self.app is not None:
            # Killed for heaptrack: its exit status says nothing.
            self.app = None
        super().final_quit()


def report(figures, heap, rounds):
    idle_rss, idle_dirty = figures[0][1], figures[0][2]
    print("memory benchmark: one app, %d round%s of a full renewal then a full e-onay; "
          "RSS and Private_Dirty from /proc/PID/smaps_rollup once settled"
          % (rounds, "" if rounds == 1 else "s"))
    print("                               RSS        ratio   Private_Dirty  ratio"
          "    RSS of: heap   anonymous   files")
    for what, rss, dirty, kinds in figures:
        print("  %-26s %7.1f MiB  %5.2f x   %7.1f MiB   %5.2f x   %7.1f %7.1f %9.1f MiB"
              % (what, rss / 1024, rss / idle_rss, dirty / 1024, dirty / idle_dirty,
                 kinds["heap"] / 1024, kinds["anonymous"] / 1024, kinds["files"] / 1024))
    if heap:
        print("  malloc (glibc's malloc_stats(), through gdb): held from the system / in use")
        for what, system, in_use in heap:
            print("  %-26s %7.1f MiB / %5.1f MiB" % (what, system / 1024, in_use / 1024))
    if rounds > 1:
        after = [f for f in figures if f[0].startswith("after e-onay")]
        growth = [(b[1] - a[1]) / 1024 for a, b in zip(after, after[1:])]
        print("  RSS growth per later round: %s MiB" % ", ".join("%+.1f" % x for x in growth))
    first = next(f for f in figures if f[0] == "after e-onay 1")
    ratio = first[1] / idle_rss
    print("goal: RSS after a full renewal + e-onay <= %.1f x idle: %s (%.2f x)"
          % (GOAL_RATIO, "met" if ratio <= GOAL_RATIO else "not met", ratio))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2,
                        help="renewal + e-onay rounds in the one app (default 2)")
    parser.add_argument("--malloc-stats", action="store_true",
                        help="also what glibc's malloc holds and uses at each point "
                             "(malloc_stats() called through gdb)")
    parser.add_argument("--heaptrack", metavar="FILE",
                        help="attach heaptrack (G_SLICE=always-malloc) once idle, kill the "
                             "app after the first renewal + e-onay, write FILE.zst: its leaks "
                             "are what the app holds then beyond idle; one round")
    args = parser.parse_args()
    if args.heaptrack:
        args.rounds = 1
    g.secret_canary.secret("T.C. Kimlik No", renewal.GOOD_TCKN)

    run = MemoryRun(malloc_stats=args.malloc_stats, heaptrack=args.heaptrack)
    steps = [("the card bed, the simulator and the app; idle memory", run.setup)]
    for n in range(1, args.rounds + 1):
        steps += [("round %d: a full renewal" % n, lambda n=n: run.renew(n)),
                  ("round %d: a full e-onay" % n, lambda n=n: run.give_eonay(n))]
    status = g.run_checks(steps, final=("the app closes cleanly", run.final_quit),
                          on_failure=run.on_failure)
    if status == 0:
        report(run.figures, run.heap, args.rounds)
    return status


if __name__ == "__main__":
    sys.exit(main())
