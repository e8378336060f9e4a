"""Pregnancy-check rounds (孕检 / 三查名册, DOMAIN.md §6), split by noun.

- `rounds`: a round is a period code; create ahead, close (freeze the due list), reopen.
- `due`: who is due and in which category (the rule and its edges are in its docstring).
- `results`: one result per woman per round, bulk 已查, 免查 marks, pregnancy follow-ups.
- `rates`: 应查/已查/寄回证明/未查 and 查环查孕率 per unit and category; worklists.
- `summary_form`: 查环查孕情况统计表 as an app.forms.model.Form.
- `printing`: the printed roster (PDF and Excel) per village/community.
"""
