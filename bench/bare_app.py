"""The floor for the app's start: a bare Textual app showing one line, started and timed as
bench/app_probe.py starts and times the real app (its own process, from the top of the script,
under `run_test` at the same size). Prints the seconds until its line is drawn.

    python bench/bare_app.py
"""

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Static  # noqa: E402


class FirstLine(Static):
    drawn: float | None = None

    def render(self):
        if FirstLine.drawn is None:
            FirstLine.drawn = time.perf_counter()
        return super().render()


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield FirstLine("a first line")


async def first_line() -> float:
    async with BareApp().run_test(size=(160, 48)) as pilot:
        while FirstLine.drawn is None:
            await pilot.pause(0.02)  # the probe's poll for the real app's rows
        return FirstLine.drawn - STARTED


if __name__ == "__main__":
    print(asyncio.run(first_line()))
