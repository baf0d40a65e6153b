"""The data layer: offline loaders on the real data, and download code against loopback files."""

from __future__ import annotations

import dataclasses
import hashlib
import http.server
import io
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest

from rnncourse import data
from rnncourse.data import download, registry

# ---------------------------------------------------------------- offline loaders (real data)

def test_food_reviews_splits_counts_and_balance():
    sizes = {}
    for split in ("train", "val", "test"):
        texts, labels = data.load_reviews("food", split)
        assert len(texts) == len(labels) and labels.dtype == np.int64
        assert set(np.unique(labels)) == {0, 1}
        sizes[split] = len(texts)
        assert 0.6 < labels.mean() < 0.7  # about 65 % "great" in every split
    assert sizes == {"train": 3200, "val": 800, "test": 1000}
    texts, labels = data.load_reviews("food", "test")
    assert texts[0].startswith("These are the best tasting gummy fruits") and labels[0] == 1


def test_food_validation_is_disjoint_and_seeded():
    train, _ = data.load_reviews("food", "train", seed=0)
    val, _ = data.load_reviews("food", "val", seed=0)
    every, _ = data.load_reviews("food", "all")
    assert len(every) == 5000 and len(train) + len(val) == 4000
    assert sorted(train + val) == sorted(every[:4000])  # val is carved out of the training rows
    other, _ = data.load_reviews("food", "val", seed=1)
    assert val == data.load_reviews("food", "val", seed=0)[0]
    assert val != other


def test_wrong_arguments_list_the_valid_ones():
    with pytest.raises(ValueError, match="valid: 'train', 'val', 'test', 'all'"):
        data.load_reviews("food", "dev")
    with pytest.raises(ValueError, match="'food', 'imdb'"):
        data.load_reviews("yelp")
    with pytest.raises(ValueError, match=r"not available offline .*load_glove\(100, source=\"download\"\)"):
        data.load_glove(100)
    with pytest.raises(ValueError, match="valid: 50, 100, 200, 300"):
        data.load_glove(64, source="download")


def test_glove_50d_is_the_real_table():
    kv = data.load_glove(50)
    assert kv.vectors.shape == (400_000, 50) and kv.vectors.dtype == np.float32
    assert kv.index_to_key[:4] == ["the", ",", ".", "of"]
    np.testing.assert_allclose(kv["the"][:3], [0.418, 0.24968, -0.41242], rtol=1e-5)
    assert kv.most_similar("frog", topn=1)[0][0] == "snake"  # what 50-d GloVe really says
    assert kv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)[0][0] == "queen"


def test_word_benchmarks_ship_with_gensim():
    lines = Path(data.word_benchmark_path("questions-words")).read_text().splitlines()
    assert sum(not line.startswith(":") for line in lines) == 19_544
    assert sum(line.startswith(":") for line in lines) == 14


def test_glove_text_reader_with_and_without_header(tmp_path):
    body = "cat 1.0 0.0\ndog 0.9 0.1\n"
    (tmp_path / "glove.txt").write_text(body)
    (tmp_path / "w2v.txt").write_text("2 2\n" + body)
    for name in ("glove.txt", "w2v.txt"):
        kv = data.load_glove(path=tmp_path / name)
        assert kv.index_to_key == ["cat", "dog"] and kv.vector_size == 2
    with pytest.raises(data.DatasetError, match="no such vectors file"):
        data.load_glove(path=tmp_path / "missing.txt")


def test_lee_corpus():
    corpus = data.load_corpus("lee")
    assert len(corpus) == 300
    assert corpus[0][:4] == ["hundreds", "of", "people", "have"]
    assert 55_000 < sum(map(len, corpus)) < 62_000


def test_elecdemand_series():
    frame = data.load_series("elecdemand")
    assert frame.shape == (17_520, 3) and list(frame.columns) == ["demand", "workday", "temperature"]
    assert str(frame.index[0]) == "2014-01-01 00:00:00" and str(frame.index[-1]) == "2014-12-31 23:30:00"
    assert frame["demand"].iloc[0] == pytest.approx(3.914647, rel=1e-6)
    parts = [data.load_series("elecdemand", s) for s in ("train", "val", "test")]
    assert [len(p) for p in parts] == [12_264, 2_628, 2_628]
    assert parts[0].index[-1] < parts[1].index[0] < parts[2].index[0]  # chronological


def test_windows_pair_the_right_steps():
    series = np.arange(10, dtype=np.float32)
    x, y = data.windows(series, lookback=3, horizon=2)
    assert x.shape == (6, 3, 1) and y.shape == (6,)
    assert x[0, :, 0].tolist() == [0, 1, 2] and y[0] == 4  # two steps after the window's end
    assert x[-1, :, 0].tolist() == [5, 6, 7] and y[-1] == 9
    with pytest.raises(ValueError, match="too short"):
        data.windows(series, lookback=9, horizon=2)


def test_digit_sample_is_balanced_real_mnist():
    seen = []
    for split, n in (("train", 3200), ("val", 800), ("test", 1000)):
        images, labels = data.load_digits("mnist-sample", split)
        assert images.shape == (n, 28, 28) and images.dtype == np.float32
        assert 0.0 <= images.min() and images.max() <= 1.0
        assert np.bincount(labels).tolist() == [n // 10] * 10
        seen.append({img.tobytes() for img in images})
    assert not (seen[0] & seen[1]) and not (seen[0] & seen[2]) and not (seen[1] & seen[2])


def test_generated_dates_are_correct_and_seeded():
    import datetime

    pairs = data.load_translation("dates", n=300, seed=3)
    assert pairs == data.load_translation("dates", n=300, seed=3)
    assert pairs != data.load_translation("dates", n=300, seed=4)
    for source, target in pairs:
        day = datetime.date.fromisoformat(target)
        assert str(day.year) in source and (str(day.day) in source)


def test_toy_french_agrees_and_reorders():
    pairs = data.load_translation("toy-fr", n=500, seed=0)
    for english, target in pairs:
        en, fr = english.split(), target.split()
        if en[0] == "the" and en[1] == "white" and en[2] == "house":
            assert fr[:3] == ["la", "maison", "blanche"]
        plural_subject = fr[0] in {"les", "des"}
        verb = fr[2] if fr[2] in {"voit", "voient", "aime", "aiment", "suit", "suivent"} else fr[3]
        assert verb.endswith("ent") == plural_subject
    assert any(e.startswith("the white house") for e, _ in pairs)


# ---------------------------------------------------------------- download code, on loopback only

class _Files(http.server.BaseHTTPRequestHandler):
    """Serve bytes from a dict; a path in ``short`` promises more bytes than it sends."""

    files: dict[str, bytes] = {}
    short: set[str] = set()

    def do_GET(self):  # noqa: N802 - the http.server API
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        promised = len(body) * 2 if self.path in self.short else len(body)
        self.send_header("Content-Length", str(promised))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Files.files, _Files.short = {}, set()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", _Files
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _register(monkeypatch, name, payload: bytes, **changes):
    """Point a download record at a loopback file with the payload's real checksum and size."""
    rec = dataclasses.replace(
        registry.DATASETS[name], file_hash=hashlib.sha256(payload).hexdigest(),
        hash_algorithm="sha256", size_bytes=len(payload), **changes)
    monkeypatch.setitem(registry.DATASETS, name, rec)
    return rec


def _tiny_imdb() -> bytes:
    """A tar.gz laid out as aclImdb_v1.tar.gz, with two reviews per class and split."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for split in ("train", "test"):
            for folder, words in (("neg", "dull"), ("pos", "lovely")):
                for i in (10, 2):
                    text = f"{split} {words} film number {i}<br /><br />end".encode()
                    info = tarfile.TarInfo(f"aclImdb/{split}/{folder}/{i}_5.txt")
                    info.size = len(text)
                    tar.addfile(info, io.BytesIO(text))
    return buffer.getvalue()


def test_download_checks_caches_and_loads(server, cache, monkeypatch):
    url, files = server
    payload = _tiny_imdb()
    files.files["/aclImdb_v1.tar.gz"] = payload
    monkeypatch.setenv("RNNCOURSE_DATA_MIRROR", url)
    _register(monkeypatch, "imdb", payload)
    texts, labels = data.load_reviews("imdb", "test")
    assert labels.tolist() == [0, 0, 1, 1]
    assert texts[0] == "test dull film number 2  end"  # numeric order, <br /> removed
    assert (cache / "aclImdb_v1.tar.gz").read_bytes() == payload
    files.files.clear()  # a second load uses the cache: no request is made
    assert data.load_reviews("imdb", "test")[0] == texts


def test_download_with_wrong_checksum_keeps_nothing(server, cache, monkeypatch):
    url, files = server
    files.files["/mnist.npz"] = b"not the real file"
    monkeypatch.setenv("RNNCOURSE_DATA_MIRROR", url)
    rec = _register(monkeypatch, "mnist", b"the real file!!!!")
    with pytest.raises(data.DatasetError, match="nothing was kept") as info:
        download.get("mnist")
    assert "mnist-sample" in str(info.value)  # names the offline default
    assert not (cache / rec.filename).exists()
    assert not list(cache.glob("*.part"))


def test_interrupted_download_keeps_nothing(server, cache, monkeypatch):
    url, files = server
    payload = b"x" * 5000
    files.files["/text8.zip"] = payload
    files.short.add("/text8.zip")
    monkeypatch.setenv("RNNCOURSE_DATA_MIRROR", url)
    _register(monkeypatch, "text8", payload)
    with pytest.raises(data.DatasetError, match="interrupted|not right|corrupted"):
        download.get("text8")
    assert not cache.exists() or not any(cache.iterdir())


def test_unreachable_server_says_offline_and_names_the_default(cache, monkeypatch):
    monkeypatch.setenv("RNNCOURSE_DATA_MIRROR", "http://127.0.0.1:9")  # discard port: refused
    with pytest.raises(data.DatasetError, match=r"offline\? The offline default is load_series"):
        data.load_series("jena")


def test_corrupted_cache_is_reported_not_reused(server, cache, monkeypatch):
    url, files = server
    payload = b"digits" * 1000
    rec = _register(monkeypatch, "mnist", payload)
    cache.mkdir(parents=True)
    bad = cache / rec.filename
    bad.write_bytes(payload[:-10])  # truncated copy
    with pytest.raises(data.DatasetError) as info:
        data.load_digits("mnist")
    message = str(info.value)
    assert str(bad) in message and "rnncourse data fetch mnist" in message
    assert bad.read_bytes() == payload[:-10]  # not silently replaced
    files.files["/mnist.npz"] = payload
    monkeypatch.setenv("RNNCOURSE_DATA_MIRROR", url)
    assert download.fetch("mnist") == bad and bad.read_bytes() == payload  # fetch repairs it


def test_offline_loaders_never_reach_the_network(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("an offline loader opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    data.load_reviews("food", "val")
    data.load_series("elecdemand", "test")
    data.load_digits("mnist-sample", "val")
    data.load_translation("toy-fr", n=10)
    data.load_corpus("lee")


def test_data_command_lists_every_dataset(capsys):
    from rnncourse.cli import main

    assert main(["data"]) == 0
    out = capsys.readouterr().out
    for name in registry.DATASETS:
        assert name in out
    assert "not cached" in out or "cached" in out
