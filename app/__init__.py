"""FP Ledger (计生台帐): the whole product without a screen. Never imports Qt."""

__version__ = "0.2.0"
APP_NAME = "FPLedger"
APP_TITLE = "计生台帐"
