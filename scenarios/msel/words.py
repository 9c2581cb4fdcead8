"""The words trainers write in a master scenario events list: the header synonyms of each
field, the channel names, "every team", and the offsets ('90', '1:30', 'T+90', '1h30').
This mapping is domain work no CSV library does; pure."""

from __future__ import annotations

import re

FIELDS = ("offset", "story_time", "channel", "sender", "title", "body", "audience", "expected")
REQUIRED = ("offset", "title", "channel")

# Header names as trainers write them, after `_normal` (lowercase, no brackets or signs).
HEADERS = {
    "offset": (
        "offset",
        "offset min",
        "offset minutes",
        "time",
        "t",
        "t min",
        "minute",
        "minutes",
        "min",
        "start",
        "start time",
        "exercise time",
        "drill time",
        "elapsed",
        "elapsed time",
        "time offset",
        "delivery time",
        "inject time",
    ),
    "story_time": (
        "story time",
        "scenario time",
        "storyline time",
        "in story time",
        "designated scenario time",
        "game time",
        "simulated time",
        "scenario date",
        "story date",
    ),
    "channel": (
        "channel",
        "method",
        "delivery method",
        "delivery",
        "inject method",
        "mode",
        "medium",
        "via",
        "means",
    ),
    "sender": ("from", "sender", "source", "originator", "persona", "sent by", "inject from"),
    "title": (
        "title",
        "subject",
        "inject",
        "inject title",
        "event",
        "event title",
        "headline",
        "name",
    ),
    "body": (
        "body",
        "description",
        "message",
        "inject description",
        "event description",
        "inject text",
        "message text",
        "text",
        "content",
        "details",
    ),
    "audience": (
        "audience",
        "to",
        "recipient",
        "recipients",
        "player",
        "players",
        "team",
        "teams",
        "target",
        "inject to",
        "target audience",
    ),
    "expected": (
        "expected response",
        "expected responses",
        "expected action",
        "expected actions",
        "expected player action",
        "expected player actions",
        "expected player response",
        "expected outcome",
        "player action",
        "player actions",
        "response",
    ),
}
HEADER_FIELD = {name: f for f, names in HEADERS.items() for name in names}

# Channel words as trainers write them, after `_normal`; each channel also by its own name.
CHANNEL_WORDS = {
    "email": ("email", "e mail", "mail", "electronic mail", "emails"),
    "phone": (
        "phone",
        "phone call",
        "call",
        "telephone",
        "tel",
        "voice",
        "voicemail",
        "mobile",
        "sms",
        "text message",
    ),
    "news": (
        "news",
        "media",
        "press",
        "press release",
        "newspaper",
        "news article",
        "tv",
        "television",
        "radio",
        "journalist",
        "media inquiry",
    ),
    "social": (
        "social",
        "social media",
        "twitter",
        "x",
        "tweet",
        "facebook",
        "linkedin",
        "telegram",
        "mastodon",
        "social network",
    ),
    "soc_alert": (
        "soc alert",
        "soc",
        "siem",
        "siem alert",
        "alert",
        "ids",
        "ids alert",
        "edr",
        "edr alert",
        "monitoring",
    ),
    "ticket": (
        "ticket",
        "helpdesk",
        "help desk",
        "service desk",
        "incident ticket",
        "trouble ticket",
        "jira",
    ),
    "partner_cirt": (
        "partner cirt",
        "partner cert",
        "partner csirt",
        "cirt",
        "cert",
        "csirt",
        "partner",
        "foreign cert",
        "international partner",
    ),
    "regulator": (
        "regulator",
        "regulator letter",
        "letter from the regulator",
        "regulatory",
        "authority",
        "supervisory authority",
        "data protection authority",
        "dpa",
    ),
}
CHANNEL_OF = {word: channel for channel, words in CHANNEL_WORDS.items() for word in words}
EVERY_TEAM = {"", "all", "all teams", "every team", "everyone", "everybody", "all players"}


def normal(text: str) -> str:
    """'Offset (min)' -> 'offset', 'E-Mail' -> 'e mail', 'T+' -> 't'."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text.casefold())
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def header_field(header: str) -> str | None:
    return HEADER_FIELD.get(normal(header))


def channel_of(word: str) -> str | None:
    return CHANNEL_OF.get(normal(word))


_CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
_MINUTES = re.compile(r"^(\d{1,5})(?:\.0+)?\s*(?:m|min|mins|minute|minutes)?\.?$")
_HOURS = re.compile(
    r"^(\d{1,3})\s*(?:h|hr|hrs|hour|hours)\s*(?:(\d{1,2})\s*(?:m|min|mins|minutes?)?)?$"
)


def parse_offset(text: str) -> int | None:
    """Minutes from the start: '90', '1:30', '01:30:00', 'T+90', '+90 min', '1h30'. None if
    the text is none of these."""
    value = text.strip().casefold()
    value = re.sub(r"^t\s*", "", value)
    value = re.sub(r"^\+\s*", "", value)
    if m := _CLOCK.match(value):
        return int(m[1]) * 60 + int(m[2])
    if m := _MINUTES.match(value):
        return int(m[1])
    if m := _HOURS.match(value):
        return int(m[1]) * 60 + int(m[2] or 0)
    return None
