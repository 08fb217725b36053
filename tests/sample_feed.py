"""Small articles for the feed tests (cluster, batch): one event of three storm reports."""

from __future__ import annotations

from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
STORM = [
    "A powerful storm flooded the coastal town of Maple Bay on Sunday, forcing hundreds of families to leave "
    "their homes. Rescue crews used boats to reach people trapped on rooftops. The mayor declared an emergency.",
    "Floodwater swept through Maple Bay after Sunday's storm, and rescuers in boats pulled residents from their "
    "roofs. Hundreds of families were evacuated. Officials declared a state of emergency in the town.",
    "Residents of Maple Bay began returning home after the weekend storm flooded the town and rescue boats "
    "carried people from rooftops. The emergency declared by the mayor stays in force.",
]
