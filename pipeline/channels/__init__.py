"""The channel registry: a name mapped to its renderer. A new channel is a module and a line."""

from .base import Channel
from .email import EmailChannel
from .print import PrintChannel
from .web import WebChannel

CHANNELS: dict[str, Channel] = {
    channel.name: channel for channel in (WebChannel(), PrintChannel(), EmailChannel())
}

__all__ = ["CHANNELS", "Channel"]
