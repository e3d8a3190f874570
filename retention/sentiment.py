"""Review and ticket sentiment (positive, neutral, negative), offline: TF-IDF + logistic regression trained on real
review texts with their star ratings (1-2 negative, 3 neutral, 4-5 positive), beside a small lexicon baseline.
Weights are saved as JSON (vocabulary, idf, coefficients), never pickled."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np

LABELS = ("negative", "neutral", "positive")
POS = {"love", "loved", "great", "perfect", "beautiful", "comfortable", "soft", "cute", "flattering", "happy",
       "excellent", "gorgeous", "nice", "lovely", "recommend", "fits", "favorite", "amazing", "pretty", "glad"}
NEG = {"disappointed", "poor", "cheap", "returned", "return", "small", "tight", "itchy", "wrong", "bad", "ugly",
       "unflattering", "thin", "awful", "terrible", "broke", "late", "damaged", "refund", "never", "sadly", "worst"}


def star_label(rating: int) -> str:
    return "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"


def lexicon(texts: list[str]) -> list[str]:
    out = []
    for t in texts:
        words = re.findall(r"[a-z']+", t.lower())
        score = sum(w in POS for w in words) - sum(w in NEG for w in words)
        out.append("positive" if score > 0 else "negative" if score < 0 else "neutral")
    return out


class SentimentModel:
    def __init__(self, vectorizer: Any = None, clf: Any = None, params: dict[str, Any] | None = None):
        self.vectorizer, self.clf, self.params = vectorizer, clf, params

    @classmethod
    def fit(cls, texts: list[str], labels: list[str]) -> SentimentModel:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=30000, sublinear_tf=True)
        X = vec.fit_transform(texts)
        clf = LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced").fit(X, labels)
        return cls(vec, clf)

    def predict(self, texts: list[str]) -> list[str]:
        if self.params is not None:  # loaded from JSON
            from sklearn.feature_extraction.text import TfidfVectorizer

            vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, vocabulary=self.params["vocabulary"])
            vec.idf_ = np.array(self.params["idf"])
            X = vec.transform(texts)
            scores = X @ np.array(self.params["coef"]).T + np.array(self.params["intercept"])
            return [self.params["classes"][i] for i in np.argmax(scores, axis=1)]
        return list(self.clf.predict(self.vectorizer.transform(texts)))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({
            "vocabulary": {k: int(v) for k, v in self.vectorizer.vocabulary_.items()},
            "idf": self.vectorizer.idf_.tolist(), "coef": self.clf.coef_.tolist(),
            "intercept": self.clf.intercept_.tolist(), "classes": list(self.clf.classes_)}))

    @classmethod
    def load_file(cls, path: Path) -> SentimentModel:
        return cls(params=json.loads(path.read_text()))


def evaluate_reviews(path: Path, seed: int = 42) -> dict[str, Any]:
    """Train on 80 % of the reviews, report macro-F1 of the model and the lexicon on the held-back 20 %."""
    import pandas as pd
    from sklearn.metrics import f1_score

    df = pd.read_csv(path)
    df = df.dropna(subset=["Review Text"])
    texts = (df["Title"].fillna("") + ". " + df["Review Text"]).tolist()
    labels = [star_label(int(r)) for r in df["Rating"]]
    idx = np.random.default_rng(seed).permutation(len(texts))
    cut = int(len(idx) * 0.8)
    tr, te = idx[:cut], idx[cut:]
    model = SentimentModel.fit([texts[i] for i in tr], [labels[i] for i in tr])
    y = [labels[i] for i in te]
    pred = model.predict([texts[i] for i in te])
    lex = lexicon([texts[i] for i in te])
    return {"dataset": str(path), "train": int(cut), "test": int(len(te)),
            "class_share": {c: round(y.count(c) / len(y), 3) for c in LABELS},
            "models": {"tfidf_logreg": {"macro_f1": round(float(f1_score(y, pred, average="macro")), 4)},
                       "lexicon": {"macro_f1": round(float(f1_score(y, lex, average="macro")), 4)},
                       "majority": {"macro_f1": round(float(f1_score(y, ["positive"] * len(y), average="macro")), 4)}}}


# Chinese tickets and reviews: the TF-IDF model has an English vocabulary, so Chinese text goes to a small lexicon.
ZH_NEG = ("差", "慢", "坏", "破", "碎", "退款", "投诉", "没收到", "还没", "失望", "错", "不满", "太久", "丢")
ZH_POS = ("好", "喜欢", "满意", "谢谢", "感谢", "完美", "漂亮", "舒服", "推荐")


def zh_lexicon(text: str) -> str:
    score = sum(text.count(w) for w in ZH_POS) - sum(text.count(w) for w in ZH_NEG)
    return "positive" if score > 0 else "negative" if score < 0 else "neutral"


def train_default(path: Path) -> SentimentModel:
    import pandas as pd

    df = pd.read_csv(path).dropna(subset=["Review Text"])
    return SentimentModel.fit((df["Title"].fillna("") + ". " + df["Review Text"]).tolist(),
                              [star_label(int(r)) for r in df["Rating"]])


def label_store(con: Any, model: SentimentModel) -> dict[str, int]:
    """Fill the sentiment of every review and ticket not yet labelled; returns how many of each were labelled."""
    import pandas as pd

    from core.language import has_han
    from shop.db import transaction

    out = {}
    for table, key, text in (("reviews", "review_id", "coalesce(title, '') || '. ' || coalesce(body, '')"),
                             ("tickets", "ticket_id", "coalesce(subject, '') || '. ' || coalesce(body, '')")):
        rows = con.execute(f"SELECT {key}, {text} FROM {table} WHERE sentiment IS NULL").fetchall()
        if not rows:
            out[table] = 0
            continue
        ids, texts = [r[0] for r in rows], [r[1] for r in rows]
        en = [i for i, t in enumerate(texts) if not has_han(t)]
        labels = [zh_lexicon(t) for t in texts]
        for i, lab in zip(en, model.predict([texts[i] for i in en]) if en else [], strict=True):
            labels[i] = lab
        with transaction(con):
            con.register("_sent", pd.DataFrame({"id": ids, "sentiment": labels}))
            con.execute(f"UPDATE {table} SET sentiment = s.sentiment FROM _sent s WHERE {table}.{key} = s.id")
            con.unregister("_sent")
        out[table] = len(ids)
    return out


def label_with_saved_model(con: Any, models_dir: Path) -> dict[str, int]:
    """Label what is unlabelled with the shop's sentiment model (models/sentiment/model.json), trained on the
    demo's real reviews the first time it is needed."""
    if not con.execute("SELECT (SELECT count(*) FROM reviews WHERE sentiment IS NULL) + "
                       "(SELECT count(*) FROM tickets WHERE sentiment IS NULL)").fetchall()[0][0]:
        return {"reviews": 0, "tickets": 0}
    path = models_dir / "sentiment" / "model.json"
    if path.exists():
        model = SentimentModel.load_file(path)
    else:
        from shop.demo_subset import REVIEWS_SUBSET

        model = train_default(REVIEWS_SUBSET)
        model.save(path)
    return label_store(con, model)
