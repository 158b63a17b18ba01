"""Words for numbers: the step-by-step derivation behind an :class:`~lambdacost.Estimate`.

People who have never met a GB-second should be able to follow every line, and check it
with a pocket calculator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .billing import MB_PER_GB, MS_PER_S
from .tables import count, rate, usd

if TYPE_CHECKING:
    from .estimate import Estimate
    from .prices import Rates

__all__ = ["explain_estimate"]


def _seconds(ms: float) -> str:
    return f"{ms / MS_PER_S:.3f}".rstrip("0").rstrip(".") if ms % 1 == 0 else f"{ms / MS_PER_S:g}"


def explain_estimate(estimate: "Estimate", rates: "Rates") -> str:
    """Render the derivation of ``estimate`` as numbered plain-text steps."""
    i, p = estimate.inputs, estimate.pricing
    memory_gb = i["memory_mb"] / MB_PER_GB
    billed = estimate.billed_duration_ms
    per_request = memory_gb * billed / MS_PER_S
    granularity = p["granularity_ms"]
    items = {item.name: item for item in estimate.line_items}
    lines = [
        f"How {usd(estimate.total_usd)} is made ({i['arch']}, {p['region']} {p['region_name']}, "
        f"prices of {i['as_of']}, {p['era']} billing):",
        "",
        f"1. Memory: {count(i['memory_mb'])} MB = {count(memory_gb)} GB (Lambda counts 1 GB = 1024 MB).",
        f"2. Duration: {count(i['duration_ms'])} ms is billed as {count(billed)} ms "
        f"(each invocation is rounded up to the next {granularity} ms).",
        f"3. GB-seconds: {count(memory_gb)} GB x {_seconds(billed)} s = {count(per_request)} GB-s per request"
        f" x {count(i['requests'])} requests = {count(estimate.gb_seconds)} GB-s this month.",
    ]
    step = 4
    free = rates.free_tier
    if i["free_tier"]:
        used = -items["duration free tier"].quantity if "duration free tier" in items else 0.0
        lines.append(
            f"{step}. Free tier: {count(free.gb_seconds)} GB-s a month (one pool for the whole account) covers "
            f"{count(used)} GB-s; {count(estimate.gb_seconds - used)} GB-s remain billable."
        )
    else:
        lines.append(f"{step}. Free tier: not applied.")
    step += 1
    tier_items = [item for item in estimate.line_items if item.name.startswith("duration") and "free" not in item.name]
    if len(rates.tier_usd_per_gb_second) > 1:
        bounds = [count(b) for b in rates.tier_from_gb_seconds[1:]]
        lines.append(
            f"{step}. Volume tiers ({i['arch']}, {p['region']}): the month's GB-s are priced in steps, new rates "
            f"from {' and '.join(bounds)} GB-s (summed over every {i['arch']} function in the region)."
        )
        step += 1
    for item in tier_items:
        lines.append(f"   {item.name}: {count(item.quantity)} GB-s x {rate(item.rate_usd)} = {usd(item.cost_usd)}")
    if "duration free tier" in items:
        item = items["duration free tier"]
        lines.append(f"   free tier: -{count(-item.quantity)} GB-s x {rate(item.rate_usd)} = {usd(item.cost_usd)}")
    compute = sum(item.cost_usd for item in estimate.line_items if item.name.startswith("duration"))
    lines.append(f"   compute (duration) charge: {usd(compute)}")
    requests = items["requests"]
    free_requests = -items["requests free tier"].quantity if "requests free tier" in items else 0.0
    billable = requests.quantity - free_requests
    lines.append(
        f"{step}. Requests: {count(requests.quantity)} - {count(free_requests)} free = {count(billable)} billable"
        f" x {usd(requests.rate_usd * 1e6)} per million = {usd(billable * requests.rate_usd)}"
    )
    step += 1
    if "ephemeral storage" in items:
        item = items["ephemeral storage"]
        extra_gb = (i["ephemeral_storage_mb"] - 512) / MB_PER_GB
        lines.append(
            f"{step}. Ephemeral storage: ({count(i['ephemeral_storage_mb'])} - 512 included) MB = {count(extra_gb)} GB"
            f" x {_seconds(billed)} s x {count(i['requests'])} requests = {count(item.quantity)} GB-s"
            f" x {rate(item.rate_usd)} = {usd(item.cost_usd)}"
        )
        step += 1
    lines.append(f"{step}. Total: {usd(estimate.total_usd)} (exact: {estimate.total_usd:.6f} USD).")
    lines.append("")
    lines.append(f"Prices: {p['source_url']} (read {p['read_on']}; pricing stamp {p['stamp']}).")
    lines.append(f"Free tier: {free.source.url}.")
    for note in estimate.assumptions:
        lines.append(f"Assumption: {note}.")
    return "\n".join(lines)
