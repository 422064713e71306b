"""The app on the database named by TIMELINE_DB, for snapshot tests."""

import os

from tui.app import TimelineApp

app = TimelineApp(os.environ["TIMELINE_DB"])

if __name__ == "__main__":
    app.run()
