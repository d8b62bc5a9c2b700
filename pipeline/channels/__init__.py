"""The channel registry: a name mapped to its renderer. A new channel is a module and a line."""

from pipeline.channels.base import Channel
from pipeline.channels.email.channel import EmailChannel
from pipeline.channels.print.channel import PrintChannel
from pipeline.channels.web.channel import WebChannel

CHANNELS: dict[str, Channel] = {
    channel.name: channel for channel in (WebChannel(), PrintChannel(), EmailChannel())
}

__all__ = ["CHANNELS", "Channel"]
