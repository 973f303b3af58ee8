"""A bare python-telegram-bot echo bot, the yardstick in bench/telegram_bench.py: each text sent back to its chat.

Run by the benchmark as `python bench/echo_bot.py aiohttp|httpx` with TFBOT_TOKEN and TFBOT_API_BASE_URL set:
16 updates at once, like tfbot; over tfbot's aiohttp transport or python-telegram-bot's own HTTPXRequest. It
loads nothing of tfbot but the transport.
"""

import logging
import os
import sys
from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

CONCURRENCY = 16


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the message's text back to its chat."""
    if update.effective_chat is not None and update.effective_message is not None:
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "?")


def main() -> None:
    """Poll the Bot API named by TFBOT_API_BASE_URL until SIGTERM."""
    http = sys.argv[1] if len(sys.argv) > 1 else "httpx"
    logging.basicConfig(level=logging.WARNING)
    root = os.environ["TFBOT_API_BASE_URL"].removesuffix("/bot")
    builder = (ApplicationBuilder().token(os.environ["TFBOT_TOKEN"]).base_url(f"{root}/bot")
               .base_file_url(f"{root}/file/bot").concurrent_updates(CONCURRENCY))
    if http == "aiohttp":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from bot.telegram_http import AiohttpRequest

        builder = builder.request(AiohttpRequest(CONCURRENCY)).get_updates_request(AiohttpRequest(1))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(drop_pending_updates=False)


if __name__ == "__main__":
    main()
