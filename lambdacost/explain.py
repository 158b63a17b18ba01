"""Words for numbers: the step-by-step derivation behind an :class:`~lambdacost.Estimate`.

People who have never met a GB-second should be able to follow every line, and check it
with a pocket calculator.
"""

from __future__ import annotations

from .billing import billed_duration_ms
from .rules import EPHEMERAL_STORAGE_INCLUDED_MB, MB_PER_GB, MS_PER_S, STREAMING_INCLUDED_MB
from .tables import count, money, unit_price

__all__ = ["explain_estimate", "explain_bill"]


def _seconds(ms: float) -> str:
    return f"{ms / MS_PER_S:.3f}".rstrip("0").rstrip(".") if ms % 1 == 0 else f"{ms / MS_PER_S:g}"


def explain_estimate(estimate, rates) -> str:
    """Render the derivation of ``estimate`` as numbered plain-text steps."""
    i, p, c = estimate.inputs, estimate.pricing, estimate.currency
    memory_gb = i["memory_mb"] / MB_PER_GB
    billed = estimate.billed_duration_ms
    per_request = memory_gb * billed / MS_PER_S
    granularity = p["granularity_ms"]
    items = {item.name: item for item in estimate.line_items}
    usage = estimate.usage
    # Invocations billed on-demand: those not served by Provisioned Concurrency.
    on_demand = i["requests"] - (usage.provisioned_requests if usage is not None else 0.0)
    lines = [
        f"How {money(estimate.total_cost, c)} is made ({i['arch']}, {p['region']} {p['region_name']}, "
        f"prices of {i['as_of']}, {p['era']} billing):",
        "",
        f"1. Memory: {count(i['memory_mb'])} MB = {count(memory_gb)} GB (Lambda counts 1 GB = 1024 MB).",
        _duration_step(estimate, billed, on_demand, granularity),
        f"3. GB-seconds: {count(memory_gb)} GB x {_seconds(billed)} s = {count(per_request)} GB-s per request"
        f" x {count(on_demand)} {'on-demand ' if on_demand != i['requests'] else ''}requests = {count(estimate.gb_seconds)} GB-s this month.",
    ]
    step = 4
    free = rates.free_tier
    if usage is not None and usage.edge:
        lines.pop()  # Lambda@Edge: its own meters below, no tiers and no free tier
        return _finish(estimate, rates, items, lines, 3)
    if i["free_tier"] and usage is not None and not usage.free_tier_eligible:
        lines.append(f"{step}. Free tier: none for a function with Provisioned Concurrency (see the assumptions).")
    elif i["free_tier"]:
        used = -items["duration free tier"].quantity if "duration free tier" in items else 0.0
        lines.append(
            f"{step}. Free tier: {count(free.gb_seconds)} GB-s a month (one pool for the whole account) covers "
            f"{count(used)} GB-s; {count(estimate.gb_seconds - used)} GB-s remain billable."
        )
    else:
        lines.append(f"{step}. Free tier: not applied.")
    step += 1
    tier_items = [item for item in estimate.line_items if item.name.startswith("duration") and "free" not in item.name]
    if len(rates.tier_per_gb_second) > 1:
        bounds = [count(b) for b in rates.tier_from_gb_seconds[1:]]
        lines.append(
            f"{step}. Volume tiers ({i['arch']}, {p['region']}): the month's GB-s less the free GB-s are priced in "
            f"steps, new rates from {' and '.join(bounds)} billable GB-s (summed over every {i['arch']} function in "
            "the region); the free GB-s are shown inside tier 1 and credited at its rate."
        )
        step += 1
    for item in tier_items:
        lines.append(
            f"   {item.name}: {count(item.quantity)} GB-s x {unit_price(item.rate, c)} = {money(item.cost, c)}"
        )
    if "duration free tier" in items:
        item = items["duration free tier"]
        lines.append(
            f"   free tier: -{count(-item.quantity)} GB-s x {unit_price(item.rate, c)} = {money(item.cost, c)}"
        )
    compute = sum(item.cost for item in estimate.line_items if item.name.startswith("duration"))
    lines.append(f"   compute (duration) charge: {money(compute, c)}")
    requests = items["requests"]
    free_requests = -items["requests free tier"].quantity if "requests free tier" in items else 0.0
    billable = requests.quantity - free_requests
    lines.append(
        f"{step}. Requests: {count(requests.quantity)} - {count(free_requests)} free = {count(billable)} billable"
        f" x {money(requests.rate * 1e6, c)} per million = {money(billable * requests.rate, c)}"
    )
    step += 1
    if "ephemeral storage" in items:
        item = items["ephemeral storage"]
        extra_gb = (i["ephemeral_storage_mb"] - EPHEMERAL_STORAGE_INCLUDED_MB) / MB_PER_GB
        lines.append(
            f"{step}. Ephemeral storage: ({count(i['ephemeral_storage_mb'])} - {EPHEMERAL_STORAGE_INCLUDED_MB:g} included)"
            f" MB = {count(extra_gb)} GB"
            f" x {_seconds(billed)} s x {count(i['requests'])} requests = {count(item.quantity)} GB-s"
            f" x {unit_price(item.rate, c)} = {money(item.cost, c)}"
        )
        step += 1
    return _finish(estimate, rates, items, lines, step)


def _duration_step(estimate, mean_billed_ms: float, on_demand: float, granularity: int) -> str:
    """Step 2: how one invocation's duration is rounded, apart from what cold starts add."""
    i, u = estimate.inputs, estimate.usage
    cold_ms = 0.0  # INIT or restore time of cold starts, spread over the on-demand invocations
    if u is not None and u.cold_starts and on_demand:
        cold_ms = u.init_gb_seconds * MB_PER_GB * MS_PER_S / i["memory_mb"] / on_demand
    warm = mean_billed_ms - cold_ms
    if "duration_distribution" in i:
        text = (
            f"2. Duration: {count(i['duration_ms'])} ms on average; each invocation is rounded up on its own to the "
            f"next {granularity} ms, {count(round(warm, 3))} ms on average"
        )
    else:
        text = (
            f"2. Duration: {count(i['duration_ms'])} ms is billed as {count(warm)} ms "
            f"(each invocation is rounded up to the next {granularity} ms)"
        )
    if cold_ms:
        text += f"; cold starts (below) bring the mean billed duration to {count(round(mean_billed_ms, 3))} ms"
    return text + "."


def _finish(estimate, rates, items: dict, lines: list, step: int) -> str:
    p, free, c = estimate.pricing, rates.free_tier, estimate.currency
    step = _explain_meters(estimate, items, lines, step)
    lines.append(f"{step}. Total: {money(estimate.total_cost, c)} (exact: {estimate.total_cost:.6f} {c}).")
    lines.append("")
    lines.append(f"Prices: {p['source_url']} (read {p['read_on']}; pricing stamp {p['stamp']}).")
    lines.append(f"Free tier: {free.source.url}.")
    own = {}  # meters priced from their own sources (the sheet's [meters] tables)
    for item in estimate.line_items:
        if item.source_url and item.source_url not in (p["source_url"], free.source.url):
            own.setdefault((item.source_url, item.read_on), []).append(item.name)
    for (url, read_on), names in own.items():
        lines.append(f"Prices of {', '.join(names)}: {url} (read {read_on}).")
    skus = {item.name: item.sku for item in estimate.line_items if item.sku}
    if skus:  # prices imported from AWS's price list name the SKU of every rate
        lines.append("AWS Price List SKUs: " + "; ".join(f"{name} {sku}" for name, sku in skus.items()) + ".")
    for note in estimate.assumptions:
        lines.append(f"Assumption: {note}.")
    for note in getattr(estimate, "warnings", ()):
        lines.append(f"Warning: {note}.")
    return "\n".join(lines)


def _explain_meters(estimate, items: dict, lines: list, step: int) -> int:
    """Steps for the meters beyond on-demand duration; returns the next step number."""
    i, u, c = estimate.inputs, estimate.usage, estimate.currency
    if u is None:
        return step
    memory_gb = i["memory_mb"] / MB_PER_GB

    def line(text):
        nonlocal step
        lines.append(f"{step}. {text}")
        step += 1

    def cost(name):
        item = items[name]
        return f"{count(item.quantity)} {item.unit} x {unit_price(item.rate, c)} = {money(item.cost, c)}"

    if "duration_distribution" in i:
        of_mean = float(billed_duration_ms(i["duration_ms"], estimate.pricing["granularity_ms"]))
        warm = u.billed_duration_ms if not u.cold_starts else None
        shown = f"{count(warm)} ms" if warm is not None else "more (see cold starts)"
        line(
            f"Durations vary ({i['duration_distribution']['kind']}): each invocation is rounded up on its own, so the mean "
            f"billed duration is {shown}, not the {count(of_mean)} ms of rounding the mean {count(i['duration_ms'])} ms."
        )
    if u.cold_starts:
        what = (
            "SnapStart restores (Billed Restore Duration added before rounding)"
            if i.get("snapstart")
            else "cold starts (INIT added before rounding: ceil(duration + init))"
        )
        line(
            f"Cold starts: {count(u.cold_starts)} {what}; they add {count(u.init_gb_seconds)} GB-s to the on-demand "
            f"duration, a mean billed duration of {count(u.billed_duration_ms)} ms per on-demand invocation."
        )
    if "async payload chunks" in items:
        line(
            f"Async events of {count(i['async_payload_kb'])} KB: one more request per 64 KB beyond 256 KB: {cost('async payload chunks')}."
        )
    if "provisioned concurrency" in items:
        line(
            f"Provisioned Concurrency: {count(i['provisioned_concurrency'])} environments x {count(memory_gb)} GB x "
            f"{count(i['provisioned_hours'])} h (rounded up to 5 minutes) = {cost('provisioned concurrency')}."
        )
        if "provisioned duration" in items:
            at = f" at {count(i['provisioned_duration_ms'])} ms" if "provisioned_duration_ms" in i else ""
            line(
                f"Invocations served on it ({count(u.provisioned_requests)}{at}) pay the PC duration rate: {cost('provisioned duration')}; "
                f"the other {count(u.requests - u.provisioned_requests)} spill over to on-demand rates (above)."
            )
    if "SnapStart cache" in items:
        line(
            f"SnapStart cache: {count(memory_gb)} GB x {count(i['snapstart_active_hours'])} h active (at least 3 h) = {cost('SnapStart cache')}."
        )
    if "SnapStart restore" in items:
        line(
            f"SnapStart restore: {count(memory_gb)} GB x {count(u.cold_starts)} restores = {cost('SnapStart restore')}."
        )
    if u.edge:
        line(f"Lambda@Edge requests (1 ms metering, no free tier in our sources): {cost('Lambda@Edge requests')}.")
        line(
            f"Lambda@Edge duration: {count(memory_gb)} GB x {_seconds(estimate.billed_duration_ms)} s x {count(i['requests'])} = {cost('Lambda@Edge duration')}."
        )
    if "response streaming" in items:
        free = f"; free: {cost('response streaming free tier')}" if "response streaming free tier" in items else ""
        if "second_response_share" in i:
            share = i["second_response_share"]
            line(
                f"Response streaming: {count(1 - share)} of the requests stream {count(i.get('response_mb', 0.0))} MB and "
                f"{count(share)} stream {count(i['second_response_mb'])} MB; beyond {STREAMING_INCLUDED_MB:g} MB each, "
                f"/ 1024 = {cost('response streaming')}{free}."
            )
        else:
            line(
                f"Response streaming: ({count(i['response_mb'])} - {STREAMING_INCLUDED_MB:g} included) MB x {count(i['requests'])} requests / 1024 = {cost('response streaming')}{free}."
            )
    for name in ("provisioned ESM (Kafka)", "provisioned ESM (SQS)"):
        if name in items:
            per_epu = (
                "an EPU runs one SQS event poller, at least 2 per mapping"
                if "SQS" in name
                else "an EPU holds about 10 Kafka event pollers by default"
            )
            line(
                f"Provisioned-mode event source mapping: {count(i['esm_epu_hours'])} Event Poller Unit hours "
                f"({per_epu}; billed per second, at least 1 minute) = {cost(name)}."
            )
    if "durable operations" in items:
        line(
            f"Durable functions: {count(i['durable_executions'])} executions x {count(i['durable_operations'])} "
            f"operations = {cost('durable operations')}."
        )
        if "durable data written" in items:
            line(
                f"Durable data written: {count(i['durable_executions'])} executions x {count(i['durable_written_kb'])} KB "
                f"/ 1,000,000 = {cost('durable data written')}; kept {count(i['durable_retained_days'])} days / 30 = "
                f"{cost('durable data retained')}."
            )
    if "tenant isolation" in items:
        line(
            f"Tenant isolation: {count(u.cold_starts)} new execution environments (the cold starts) x "
            f"{count(memory_gb)} GB = {cost('tenant isolation')}."
        )
    for years in ("3", "1"):
        plan = items.get(f"Compute Savings Plan ({years}-year)")
        if plan is None:
            continue
        covered = -items[f"covered by the Savings Plan ({years}-year)"].quantity
        rates = estimate._rates
        discount = getattr(rates, f"savings_plan_{years}yr_discount") if rates is not None else None
        buys = plan.cost / (1 - discount) if discount is not None else covered
        line(
            f"Compute Savings Plan, {years}-year: {money(plan.rate, c)} an hour x {count(plan.quantity)} h = "
            f"{money(plan.cost, c)}, paid whatever is used; at {discount:.0%} off it buys {money(buys, c)} of on-demand "
            f"duration and Provisioned Concurrency, of which this function uses {money(covered, c)} (taken off above at "
            f"its on-demand cost){'' if buys - covered < 0.005 else f'; {money(buys - covered, c)} of it goes unused'}."
        )
    logs = [name for name in items if name.startswith("CloudWatch Logs ingestion")]
    if logs:
        line(
            f"CloudWatch Logs: {count(i['logged_kb'])} KB x {count(i['requests'])} invocations / 1024^2 = "
            f"{count(u.logged_gb)} GB ingested, priced by the monthly tiers of Lambda logs:"
        )
        for name in logs:
            lines.append(f"   {name}: {cost(name)}")
    return step


def explain_bill(bill) -> str:
    """Render the derivation of a :class:`~lambdacost.bills.Bill` as plain-text steps."""
    c = bill.currency
    lines = [f"How {money(bill.total_cost, c)} is made ({len(bill.functions)} functions, prices of {bill.as_of}):", ""]
    lines.append(
        "1. Each function is metered as in `lambdacost estimate` (requests, GB-s, storage, Provisioned Concurrency, ...)."
    )
    lines.append("2. Volume tiers apply to the GB-s summed per (region, architecture):")
    for g in bill.groups:
        gbs = sum(i.quantity for i in g.line_items if i.name.startswith("duration") and "free" not in i.name)
        lines.append(f"   {g.label}: {count(gbs)} GB-s, subtotal {money(g.total_cost, c)}")
        for item in g.line_items:
            lines.append(
                f"      {item.name}: {count(item.quantity)} {item.unit} x {unit_price(item.rate, c)} = {money(item.cost, c)}"
            )
    if bill.free_tier:
        pool = bill.pricing["free_tier_allowance"]
        lines.append(
            f"3. Free tier: one pool for the account ({count(pool['requests'])} requests, {count(pool['gb_seconds'])} "
            f"GB-s, {count(pool['streaming_gb'])} GB streamed), shared pro rata;"
        )
        lines.append("   functions with Provisioned Concurrency or on Lambda@Edge get none.")
    else:
        lines.append("3. Free tier: not applied.")
    lines.append(
        "4. Each function: its share (tiered charge pro rata to GB-s, less its free-tier part), what removing it"
    )
    lines.append("   would save (marginal), and its cost alone in an account:")
    for f in bill.functions:
        lines.append(
            f"   {f.name}: share {money(f.share_cost, c)} (free tier {money(f.free_tier_cost, c)}), marginal {money(f.marginal_cost, c)}, alone {money(f.standalone_cost, c)}"
        )
    lines.append(f"5. Total: {money(bill.total_cost, c)} (exact: {bill.total_cost:.6f} {c}).")
    lines.append("")
    lines.append(
        f"Prices: {bill.pricing['source_url']} (read {bill.pricing['read_on']}; pricing stamp {bill.pricing['stamp']})."
    )
    for note in bill.assumptions:
        lines.append(f"Assumption: {note}.")
    return "\n".join(lines)
