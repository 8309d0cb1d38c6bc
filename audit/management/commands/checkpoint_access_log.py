from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.checkpoints import access_log_checkpoint_write, checkpoint_dir


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of each access-log chain head to ACCESS_LOG_CHECKPOINT_DIR, "
        "so that removing the newest entries is found by verify_access_log. Run daily, and on demand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chain", help="Checkpoint only this chain, e.g. org:1")

    def handle(self, *args: Any, **options: Any) -> None:
        written, refused = access_log_checkpoint_write(chain_key=options.get("chain"))
        for checkpoint in written:
            self.stdout.write(f"{checkpoint.chain}: checkpoint at entry {checkpoint.sequence}.")
        if refused:
            for problem in refused:
                self.stderr.write(problem)
            raise CommandError(f"Not checkpointed, the chain head disagrees with its entries: {len(refused)} chain(s).")
        self.stdout.write(f"{len(written)} checkpoint(s) written to {checkpoint_dir()}.")
