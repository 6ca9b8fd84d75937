"""A small SMTP server for the mail tests, built on aiosmtpd (installed by scripts/setup).

Usage: python3 smtp_server.py DIRECTORY

It listens on a free port of 127.0.0.1 and prints the port on its first line of output.
Each accepted message is written to DIRECTORY/message-N.json with its envelope and its
decoded subject and bodies. The reply to each recipient depends on how its address starts:
  reject...  550 5.1.1, a permanent rejection
  later...   451 4.3.0, a transient one
  anything else is accepted.
Every rejected RCPT is appended to DIRECTORY/rejections.jsonl, so a test can count retries.
"""

import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local_part = address.split("@", 1)[0].lower()
        if local_part.startswith("reject"):
            reply = "550 5.1.1 Mailbox unavailable"
        elif local_part.startswith("later"):
            reply = "451 4.3.0 Mailbox busy, try again later"
        else:
            envelope.rcpt_tos.append(address)
            return "250 OK"

        with open(os.path.join(self.directory, "rejections.jsonl"), "a") as log:
            log.write(json.dumps({"address": address, "reply": reply}) + "\n")
        return reply

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "message_id": str(message["Message-ID"]),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
        }

        # Written under a temporary name and renamed, so a reader never sees half a file.
        self.count += 1
        path = os.path.join(self.directory, f"message-{self.count}.json")
        with open(path + ".tmp", "w") as file:
            json.dump(record, file)
        os.replace(path + ".tmp", path)
        return "250 Message accepted"


async def main(directory):
    handler = Handler(directory)
    loop = asyncio.get_running_loop()
    # A fixed hostname spares aiosmtpd a DNS lookup of this machine's name.
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp.test"), "127.0.0.1", 0
    )
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
