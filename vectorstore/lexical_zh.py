"""Chinese tokens for BM25: jieba's search-mode segmentation (jieba.lcut_for_search) minus function words;
Latin runs inside Chinese text (PayPal, XL, GDPR) go through the English tokenizer.

jieba ships its dictionary and works offline; it caches its prefix dictionary in `jieba.dt.tmp_dir`, which is
set to a writable cache folder (~/.cache/retain, else the system temp dir). Loading takes ~0.7 s once per process
and happens on the first Chinese text, never at import.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from core.language import has_han
from vectorstore.lexical import tokenize

# Function words and question scaffolding that say nothing about which article answers a question.
STOPWORDS_ZH = frozenset(
    """的 了 着 过 吗 呢 吧 啊 呀 啦 嘛 哦 嗯 哈 我 你 您 他 她 它 我们 你们 他们 咱们 自己 是 在 和 与 或 或者
及 就 都 也 还 又 要 会 能 可以 可 怎么 怎么样 怎样 如何 什么 啥 哪 哪里 哪儿 哪个 请问 请 一下 这个 那个 这 那
这样 那样 个 把 被 给 让 对 从 为 为什么 么 谢谢 你好 您好 想 想要 一 有 有没有 是不是 能不能 可不可以 得 地
吗 呗 么 所以 但是 但 而且 如果 的话 时候 现在 已经 一些 有点 一点 下 上 里 中 后 前 该 应该 需要 告诉 问 问下
知道 一般 大概 请教 麻烦 帮 帮忙 帮我 我的 你们的 东西 到 已""".split()  # noqa: SIM905
)
_PUNCT = set("，。！？；：、“”‘’（）《》【】…—·～,.!?;:()[]{}<>\"' \t\n-_/#*%&+=|~`@^$")
_LOCK = threading.Lock()
_JIEBA: Any = None


def _cache_dir() -> Path:
    for d in (Path.home() / ".cache" / "retain", Path(tempfile.gettempdir())):
        try:
            d.mkdir(parents=True, exist_ok=True)
            probe = d / ".retain-write-probe"
            probe.write_text("")
            probe.unlink()
            return d
        except OSError:
            continue
    raise OSError("no writable cache folder for jieba's dictionary cache")


def _jieba() -> Any:
    global _JIEBA
    with _LOCK:
        if _JIEBA is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.dt.tmp_dir = str(_cache_dir())
            jieba.initialize()
            _JIEBA = jieba
    return _JIEBA


def tokenize_zh(text: str) -> list[str]:
    """BM25 tokens for Chinese (or mixed) text; pure English text gets exactly the English tokens."""
    if not has_han(text):
        return tokenize(text)
    out: list[str] = []
    for tok in _jieba().lcut_for_search(text):
        tok = tok.strip()
        if not tok or tok in _PUNCT:
            continue
        if has_han(tok):
            if tok not in STOPWORDS_ZH:
                out.append(tok)
        else:
            out += tokenize(tok)
    return out


def query_tokens_zh(query: str) -> list[str]:
    """A Chinese question's BM25 tokens plus the English words of its glossary terms (vectorstore.glossary_zh),
    so that it also matches English-only documents."""
    from vectorstore.glossary_zh import expand

    toks = tokenize_zh(query)
    return toks + [t for t in expand(query) if t not in toks]
