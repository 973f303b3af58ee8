"""What background work (reminders, the digest) needs from a channel, and what a channel needs from it."""

from typing import Protocol

from intents.message import Reply


class Sender(Protocol):
    """A channel's way to send a message nobody asked for (a reminder, a notice, the digest)."""

    async def send(self, chat: int, reply: Reply) -> bool:
        """Send `reply` to `chat`; True once the channel accepted it, False if it did not go out."""
        ...


class Background(Protocol):
    """Work that runs beside a channel: started with the channel's sender, stopped with the channel."""

    async def start(self, sender: Sender) -> None:
        """Begin (plan, schedule, watch); returns once started."""
        ...

    async def stop(self) -> None:
        """Stop, letting a send in flight finish."""
        ...
