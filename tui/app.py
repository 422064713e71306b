from textual.app import App


class TimelineApp(App):
    def __init__(self, db_path):
        super().__init__()
        self.db_path = db_path
