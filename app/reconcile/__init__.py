"""Sampling reconciliation (抽样调查核对, DOMAIN.md §7): survey import, matching, review, rates.

Modules: `survey` (the 抽样调查 sheet, stored as evidence), `similarity` (field comparisons),
`match` (staged passes and one-to-one ties), `run` (load, match, count, store), `decisions`
(review queue, adding a 漏报, correcting a 错报), `manual` (手工台帐 vs 电脑台帐), `report` (the form).
No Qt here.
"""
