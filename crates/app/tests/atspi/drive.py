"""Drives the real Stepping Stones window the way a screen reader does (AT-SPI), for
crates/app/tests/real_window.rs. Runs inside `dbus-run-session` with DISPLAY set to the
test's own Xvfb; the app's path and home come in APP and STONES_TEST_HOME.

It starts the accessibility bus, switches accessibility on (accesskit_unix reads only
org.a11y.Status.IsEnabled), starts the app, waits for it on the AT-SPI desktop, then finds
controls by role and name: types a check-in turn, records it, starts a reflection and
types into it. Then it prints `typed`, waits for another member's words to land in the
reflection (the test writes them on Bea's device, and creates the file STONES_TEST_LANDED),
presses Ctrl+Z and waits until only Bea's words are left. It prints `done` and leaves the
app running for the test to stop.
"""

import os
import subprocess
import sys
import time

import pyatspi

DEADLINE = time.monotonic() + 90


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def until(what, probe):
    while time.monotonic() < DEADLINE:
        got = probe()
        if got:
            return got
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


def enable_accessibility():
    # Children get no stdout: the test reads ours to its end.
    subprocess.Popen(["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"],
                     stdout=subprocess.DEVNULL)
    until("the accessibility bus", lambda: subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus", "/org/a11y/bus",
         "org.a11y.Bus.GetAddress"], capture_output=True).returncode == 0)
    subprocess.run(["dbus-send", "--session", "--type=method_call", "--dest=org.a11y.Bus",
                    "/org/a11y/bus", "org.freedesktop.DBus.Properties.Set",
                    "string:org.a11y.Status", "string:IsEnabled", "variant:boolean:true"],
                   check=True)


def find_app(proc):
    """The app's accessible root, or None if its process exits first."""
    def probe():
        if proc.poll() is not None:
            return "exited"
        desktop = pyatspi.Registry.getDesktop(0)
        desktop.clearCache() if hasattr(desktop, "clearCache") else None
        for i in range(desktop.childCount):
            a = desktop.getChildAtIndex(i)
            if a is not None and "stepping-stones" in (a.name or ""):
                return a
        return None
    found = until("the app on the AT-SPI desktop", probe)
    return None if found == "exited" else found


def find(app, roles, name):
    def probe():
        app.clearCache()
        hit = pyatspi.findDescendant(
            app, lambda n: n is not None and n.getRole() in roles and n.name == name)
        return hit
    return until(f"{name!r}", probe)


def press(app, name):
    b = find(app, (pyatspi.ROLE_PUSH_BUTTON,), name)
    b.queryAction().doAction(0)
    log("pressed", name)


def type_into(app, name, text):
    field = find(app, (pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT, pyatspi.ROLE_PARAGRAPH), name)
    subprocess.run(["xdotool", "search", "--name", "Stepping Stones", "windowfocus", "--sync"],
                   check=False)
    field.queryComponent().grabFocus()
    time.sleep(0.3)
    subprocess.run(["xdotool", "type", "--delay", "20", text], check=True)
    until(f"{name!r} to hold the text", lambda: text in (field.queryText().getText(0, -1) or ""))
    log("typed into", name)


def main():
    enable_accessibility()
    env = dict(os.environ, LIBGL_ALWAYS_SOFTWARE="1")
    app = None
    for attempt in range(3):
        # A window that could not reach the display server exits at once: start it again
        # (seen about one run in six on a loaded machine, right after Xvfb came up).
        app_proc = subprocess.Popen(
            [os.environ["APP"], "--home", os.environ["STONES_TEST_HOME"]],
            env=env, stdout=subprocess.DEVNULL)
        with open(os.environ["STONES_TEST_PID"], "w") as f:
            f.write(str(app_proc.pid))
        app = find_app(app_proc)
        if app is not None:
            break
        log("the app exited before its window appeared; starting it again", attempt)
        time.sleep(0.5)
    if app is None:
        raise SystemExit("the app never appeared on the AT-SPI desktop")
    log("found", app.name)
    type_into(app, "What Ada said", "Spoken through AT-SPI")
    press(app, "Record Ada's turn")
    type_into(app, "New reflection's title", "Heard")
    press(app, "Start a reflection")
    mine = "Typed the way a screen reader user would."
    type_into(app, "Reflection: Heard", mine)
    print("typed", flush=True)
    landed = os.environ["STONES_TEST_LANDED"]
    until("Bea's words to be written", lambda: os.path.exists(landed))
    field = find(app, (pyatspi.ROLE_ENTRY, pyatspi.ROLE_TEXT, pyatspi.ROLE_PARAGRAPH),
                 "Reflection: Heard")
    text = lambda: field.queryText().getText(0, -1) or ""
    until("Bea's words in the window", lambda: "Bea's line." in text())
    log("the reflection holds", repr(text()))
    subprocess.run(["xdotool", "search", "--name", "Stepping Stones", "windowfocus", "--sync"],
                   check=False)
    subprocess.run(["xdotool", "key", "ctrl+z"], check=True)
    until("only Bea's words after Ctrl+Z", lambda: text() == " Bea's line.")
    log("after ctrl+z", repr(text()))
    print("done", flush=True)


if __name__ == "__main__":
    main()
    # pyatspi's connection keeps the interpreter alive at exit: leave at once (the app
    # keeps running for the test to stop).
    os._exit(0)
