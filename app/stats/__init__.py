"""Indicators (统计指标) of DOMAIN.md §5: births, 补报, orders, sex ratios, policy rate, deaths and
rates, procedures, 长效节育措施落实, first marriages, contraception in use — exact ints and Decimal
inside, rounded half up only in `report()`'s JSON.

Modules by noun: scope (period, tree, as-of), births, procedures, long_acting, women,
population (人口基数 resolution), numbers (exact ratios, rounding, change), counts (the integer
counts behind the forms), computation (the live computation), report (the §3 document), period_figures
(THE function that hands out a period's figures: a closed period's snapshot, else computed).
"""

from app.stats.computation import Computation, compute_all
from app.stats.report import report

__all__ = ["Computation", "compute_all", "report"]
