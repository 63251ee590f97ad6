"""Demo data for the FAQ: the shipped seed file, for the program being seeded."""

from __future__ import annotations

from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.messaging.faq.services import faq_load_seed


@demo_seeder(order=50, name="faq.entries")
def seed_faq(ctx: DemoContext) -> None:
    result = faq_load_seed(program=ctx.program)
    ctx.log(f"faq.entries: {result.summary()}")
