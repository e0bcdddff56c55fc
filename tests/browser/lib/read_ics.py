"""Reads a calendar file with the `icalendar` package (a parser that is not Pishkhan's) and prints
what the browser tests check, as JSON: every event's start (and whether it is a whole day), UID,
DTSTAMP, summary, description, and its alarms (action, trigger in seconds, description).
A file the package cannot parse, or that breaks RFC 5545's required properties, exits non-zero."""

import json
import sys
from datetime import date, datetime

from icalendar import Calendar

with open(sys.argv[1], "rb") as f:
    raw = f.read()
calendar = Calendar.from_ical(raw)
assert calendar.name == "VCALENDAR", calendar.name
assert str(calendar.get("VERSION")) == "2.0", calendar.get("VERSION")
assert calendar.get("PRODID"), "no PRODID"
assert not calendar.errors, calendar.errors
events = []
for event in calendar.walk("VEVENT"):
    assert not event.errors, event.errors
    start = event.decoded("DTSTART")
    stamp = event.decoded("DTSTAMP")
    alarms = []
    for alarm in event.walk("VALARM"):
        alarms.append({
            "action": str(alarm.get("ACTION")),
            "trigger_seconds": alarm.decoded("TRIGGER").total_seconds(),
            "description": str(alarm.get("DESCRIPTION")),
        })
    events.append({
        "start": start.isoformat(),
        "whole_day": isinstance(start, date) and not isinstance(start, datetime),
        "value_param": event["DTSTART"].params.get("VALUE"),
        "uid": str(event.get("UID")),
        "stamp": stamp.isoformat(),
        "summary": str(event.get("SUMMARY")),
        "description": str(event.get("DESCRIPTION")),
        "alarms": alarms,
    })
json.dump({"events": events, "crlf": b"\r\n" in raw}, sys.stdout, ensure_ascii=False)
