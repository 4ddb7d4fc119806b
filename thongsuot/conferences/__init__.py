"""Video conferences (hội nghị truyền hình): endpoints of every unit, meetings, rooms on Janus."""

SYSTEM = "conferences"
