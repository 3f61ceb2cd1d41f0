"""Customer lookup: a ranked, typo-tolerant, Vietnamese-aware index over name, phone, code, email.

How a query is read: it is folded (case and diacritics dropped, đ → d) and split into
words; runs of phone-like words ("+84 90 123", "090.123") are joined into one number
and normalised. Every word must match the customer somewhere (words in any order):

- a name word matches a name token exactly, as a prefix, with one typo (two for long
  words), or as a substring;
- a number matches the normalised phone (exact, prefix, anywhere) or the code's number;
- a word matches the code ("c000042", prefix too) or, when it looks like an email or
  nothing else matched, the email.

Results are ranked by how well each word matched, then by recent activity. The index
is built lazily (first search, in a worker thread) and kept current through the
store's change listener; all access goes through one lock.

Kept lean for 100k customers (about 70 MB): tokens are not stored per customer (they
are re-derived from the folded name on removal), token and day strings are shared,
code numbers map to one id (a set only on a collision), ranks and blob offsets are
int arrays. Folding goes word by word through a cache: names repeat their words.
"""

from __future__ import annotations

import heapq
import re
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import compress, repeat
from operator import itemgetter

from rapidfuzz import process
from rapidfuzz.distance import OSA

from custui.domain.text import fold, normalize_phone
from custui.store.base import Doc, Store

# weights of one word's match, best first
EXACT, CODE_EXACT, PHONE_EXACT = 10, 12, 12
PREFIX, PHONE_PREFIX, CODE_PREFIX = 7, 8, 7
FUZZY, SUBSTRING, PHONE_ANY, EMAIL = 5, 4, 6, 3
NAME_PREFIX_BONUS = 3

_PHONE_WORD = re.compile(r"^\+?[\d().\-]+$")
_HAS_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"\w+")
_CODE_DIGITS = re.compile(r"(\d+)$")

Groups = list[tuple[int, set[int]]]

_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_MAX = 200_000


def fold_words(text: str) -> str:
    """`fold(text)`, computed word by word through a cache (same result, several times faster
    on names, whose words repeat). ASCII text is lower-cased directly."""
    if text.isascii():
        return " ".join(text.lower().split())
    cache = _FOLD_CACHE
    out: list[str] = []
    for word in text.split():
        folded = cache.get(word)
        if folded is None:
            folded = fold(word)
            if len(cache) >= _FOLD_CACHE_MAX:
                cache.clear()
            cache[word] = folded
        if folded:
            out.append(folded)
    return " ".join(out)


def _name_tokens(name: str) -> Iterable[str]:
    """The tokens a folded name is found by: its words and their word-character runs."""
    return dict.fromkeys([*name.split(), *_WORD.findall(name)])


class _Ranks:
    """cid -> position in the recent list: an int array when ids are dense, else a dict."""

    def __init__(self, order: Sequence[int]) -> None:
        self.far = len(order)
        top = max(order, default=-1)
        self._dict: dict[int, int] | None = None
        if top < 4 * len(order) + 1024:
            ranks = array("l", [self.far]) * (top + 1)
            for rank, cid in enumerate(order):
                ranks[cid] = rank
            self._array = ranks
        else:
            self._array = array("l")
            self._dict = {cid: rank for rank, cid in enumerate(order)}

    def key(self, ids: set[int]) -> Callable[[int], int]:
        """`get` for these ids, the array's own lookup (C) when they are all in it."""
        if self._dict is None and ids and min(ids) >= 0 and max(ids) < len(self._array):
            return self._array.__getitem__
        return self.get

    def get(self, cid: int) -> int:
        if self._dict is not None:
            return self._dict.get(cid, self.far)
        ranks = self._array
        return ranks[cid] if 0 <= cid < len(ranks) else self.far


class _Blob:
    """Many short strings joined by newlines, for fast substring search in C."""

    def __init__(self, items: Iterable[tuple[int, str]]) -> None:
        ids: list[int] = []
        starts: list[int] = []
        parts: list[str] = []
        pos = 0
        for cid, text in items:
            if not text:
                continue
            ids.append(cid)
            starts.append(pos)
            parts.append(text)
            pos += len(text) + 1
        self.text = "\n".join(parts)
        # int arrays: 8 bytes an entry instead of a list slot plus an int object
        self.ids = array("q", ids)
        self.starts = array("q", starts)

    def state(self) -> tuple[str, bytes, bytes]:
        return self.text, self.ids.tobytes(), self.starts.tobytes()

    @classmethod
    def of(cls, state: tuple[str, bytes, bytes]) -> _Blob:
        blob = cls(())
        blob.text = state[0]
        blob.ids.frombytes(state[1])
        blob.starts.frombytes(state[2])
        if type(blob.text) is not str or len(blob.ids) != len(blob.starts):
            raise ValueError("not a blob")
        return blob

    def find(self, needle: str) -> tuple[set[int], set[int]]:
        """(ids whose string starts with needle, ids that contain it elsewhere)."""
        prefix: set[int] = set()
        inside: set[int] = set()
        text, starts, ids = self.text, self.starts, self.ids
        find = text.find
        i = find(needle)
        while i != -1:
            k = bisect_right(starts, i) - 1
            (prefix if starts[k] == i else inside).add(ids[k])
            nxt = starts[k + 1] if k + 1 < len(starts) else len(text)
            i = find(needle, nxt)
        return prefix, inside - prefix


def _best_levels(groups: Groups) -> dict[int, set[int]]:
    """One word's matches as weight -> customers, each customer at its best weight."""
    levels: dict[int, set[int]] = {}
    seen: set[int] = set()
    for weight, ids in sorted(groups, key=itemgetter(0), reverse=True):
        fresh = ids - seen
        if fresh:
            levels[weight] = levels[weight] | fresh if weight in levels else fresh
            seen |= fresh
    return levels


class CustomerIndex:
    """Ranked customer search; `search(query)` returns customer docs, best first."""

    def __init__(self, store: Store, defer_activity: bool = False,
                 saved: Callable[[], dict[str, object] | None] | None = None) -> None:
        """`defer_activity`: the owner calls `fold_activity()` itself once orders are in
        (the app does, in its start-up pipeline); otherwise the index does it after load.
        `saved`: what a previous launch kept of the index for the store's data as it is now
        (lookup_cache.py), or None; the first build takes it instead of reading every customer."""
        self._store = store
        self._defer_activity = defer_activity
        self._saved = saved
        # until a build tried `saved`: an empty query waits for it (it is quick) rather than
        # reading every customer (which a big file store may still be loading)
        self._may_adopt = saved is not None
        self.unsaved = True  # changed since it was built or taken from `saved`
        self._lock = threading.RLock()
        self._built = False
        self._closed = False  # the app is exiting: no build goes on
        self._names: dict[int, str] = {}
        self._postings: dict[str, set[int]] = {}
        self._phones: dict[int, str] = {}
        self._codes: dict[str, int] = {}
        self._code_of: dict[int, str] = {}
        self._code_numbers: dict[int, int | set[int]] = {}  # one id; a set on a collision
        self._emails: dict[int, str] = {}
        self._archived: set[int] = set()
        self._activity: dict[int, str] = {}
        self._days: dict[str, str] = {}  # one shared string per ISO day
        self._activity_folded = False
        self._dirty_text = True
        self._dirty_activity = True
        self._vocab: list[str] = []
        self._sorted_codes: list[str] = []
        self._vocab_blob: _Blob | None = None
        self._phone_blob: _Blob | None = None
        self._short_groups: dict[str, Groups] = {}  # name groups of 1-2 letter words (never mutated)
        self._phone_sorted: list[str] = []  # every phone, ascending, aligned with _phone_sorted_ids
        self._phone_sorted_ids = array("q")
        self._email_blob: _Blob | None = None
        self._recent: list[int] = []
        self._rank = _Ranks(())
        store.subscribe(self._on_change)

    # -- building ------------------------------------------------------------------------
    @property
    def built(self) -> bool:
        """Searches answer from the index (built, or taken from what a launch kept)."""
        return self._built

    def ensure_built(self) -> None:
        """Build from the store on first use (slow at 100k: call it in a worker thread)."""
        with self._lock:
            if self._built or self._closed:
                return
            adopted = self._adopt_saved()
            self._may_adopt = False
            if not adopted:
                for doc in self._store.all("customers"):
                    if self._closed:
                        return
                    self._add(doc)
            self._built = True
        if self._activity_folded:
            return
        # Recent activity needs orders and interactions, which a big file store loads in the
        # background after customers: names, phones and codes are searchable before that.
        if self._store.loaded():
            self.fold_activity()
        elif not self._defer_activity:
            self._store.after_load(self.fold_activity)

    def prepare(self) -> None:
        """Build the index and what every search reads (word and phone lists, the ranking):
        the first search then answers at once (at 100k customers this is half a second)."""
        self.ensure_built()
        with self._lock:
            if self._built:
                self._refresh()

    # -- kept between launches (lookup_cache.py) -------------------------------------------
    _PLAIN = ("names", "postings", "phones", "codes", "code_of", "code_numbers", "emails",
              "archived", "activity", "days", "activity_folded", "vocab", "sorted_codes",
              "phone_sorted", "recent")
    _BLOBS = ("vocab_blob", "phone_blob", "email_blob")

    def saved_state(self) -> dict[str, object] | None:
        """The built index (with its word lists and ranking) as plain values for `marshal`,
        or None while it is not built."""
        with self._lock:
            if not self._built:
                return None
            self._refresh()
            state: dict[str, object] = {name: getattr(self, f"_{name}") for name in self._PLAIN}
            for name in self._BLOBS:
                blob = getattr(self, f"_{name}")
                state[name] = blob.state() if blob is not None else None
            state["phone_sorted_ids"] = self._phone_sorted_ids.tobytes()
            return state

    def _adopt_saved(self) -> bool:
        """(Under the lock) Take a previous launch's index when `saved` has one; False if not
        (or if it is not what saved_state writes: then nothing was changed)."""
        state = self._saved() if self._saved is not None else None
        if state is None:
            return False
        try:
            plain = {name: state[name] for name in self._PLAIN}
            blobs = {name: _Blob.of(state[name]) if state[name] is not None else None  # type: ignore[arg-type]
                     for name in self._BLOBS}
            ids = array("q")
            ids.frombytes(state["phone_sorted_ids"])  # type: ignore[arg-type]
            kinds = {name: type(value).__name__ for name, value in plain.items()}
        except (KeyError, TypeError, ValueError, IndexError):
            return False
        want = dict.fromkeys(self._PLAIN, "dict") | {
            "archived": "set", "activity_folded": "bool", "vocab": "list", "sorted_codes": "list",
            "phone_sorted": "list", "recent": "list"}
        if kinds != want or len(ids) != len(plain["phone_sorted"]):  # type: ignore[arg-type]
            return False
        for name, value in (*plain.items(), *blobs.items()):
            setattr(self, f"_{name}", value)
        self._phone_sorted_ids = ids
        self._short_groups = {}
        self._rank = _Ranks(self._recent)
        self._dirty_text = self._dirty_activity = False
        self.unsaved = False
        return True

    def close(self) -> None:
        """The app is exiting: a build under way stops at its next customer and no search
        starts one (searches find nothing from now on), so the exit does not wait for it."""
        self._closed = True

    @property
    def activity_folded(self) -> bool:
        """Whether recent orders and interactions are in the ranking yet."""
        return self._activity_folded

    def fold_activity(self) -> None:
        """Fold the latest order and interaction day of every customer into the ranking.

        One pass outside the lock (about 0.3 s at 1M orders), so searches go on meanwhile.
        """
        latest: dict[int, str] = {}
        get = latest.get
        for table, field in (("orders", "date"), ("interactions", "at")):
            customer_ids, stamps = self._store.fields(table, ("customer_id", field))
            for cid, stamp in zip(customer_ids, stamps, strict=True):
                if cid is not None and stamp:
                    # a 10-character string slices to itself: order dates stay shared
                    day = stamp[:10] if type(stamp) is str else str(stamp)[:10]
                    if day > get(cid, ""):
                        latest[cid] = day
        with self._lock:
            for cid, day in latest.items():
                self._touch(cid, day)
            self._activity_folded = True
            self.unsaved = True

    def _add(self, doc: Doc) -> None:
        cid = int(doc["id"])
        name = fold_words(str(doc.get("name") or ""))
        self._names[cid] = name
        postings = self._postings
        for token in _name_tokens(name):
            bucket = postings.get(token)
            if bucket is None:
                postings[token] = {cid}
            else:
                bucket.add(cid)
        phone = doc.get("phone_norm") or normalize_phone(str(doc.get("phone") or ""))
        if phone:
            self._phones[cid] = phone
        code = fold_words(str(doc.get("code") or ""))
        if code:
            self._codes[code] = cid
            self._code_of[cid] = code
            match = _CODE_DIGITS.search(code)
            if match:
                number = int(match.group(1))
                held = self._code_numbers.get(number)
                if held is None or held == cid:
                    self._code_numbers[number] = cid
                elif isinstance(held, set):
                    held.add(cid)
                else:
                    self._code_numbers[number] = {held, cid}
        email = fold_words(str(doc.get("email") or ""))
        if email:
            self._emails[cid] = email
        if doc.get("archived"):
            self._archived.add(cid)
        stamps = [self._day(s) for s in (doc.get("created_at"), doc.get("updated_at")) if s]
        self._activity[cid] = max([self._activity.get(cid, ""), *stamps])

    def _day(self, stamp: object) -> str:
        """The ISO day of a date or timestamp, one shared string per day."""
        day = str(stamp)[:10]
        return self._days.setdefault(day, day)

    def _remove(self, cid: int) -> None:
        name = self._names.pop(cid, None)
        for token in _name_tokens(name) if name is not None else ():
            bucket = self._postings.get(token)
            if bucket is not None:
                bucket.discard(cid)
                if not bucket:
                    del self._postings[token]
        self._phones.pop(cid, None)
        self._emails.pop(cid, None)
        self._archived.discard(cid)
        code = self._code_of.pop(cid, "")
        if code and self._codes.get(code) == cid:
            del self._codes[code]
        match = _CODE_DIGITS.search(code) if code else None
        if match:
            number = int(match.group(1))
            held = self._code_numbers.get(number)
            if held == cid:
                del self._code_numbers[number]
            elif isinstance(held, set):
                held.discard(cid)
                if len(held) == 1:
                    self._code_numbers[number] = next(iter(held))

    def _code_number_ids(self, number: int) -> set[int]:
        held = self._code_numbers.get(number)
        if held is None:
            return set()
        return set(held) if isinstance(held, set) else {held}

    def _touch(self, cid: object, stamp: object) -> None:
        if cid is None or not stamp:
            return
        key, day = int(cid), str(stamp)[:10]  # type: ignore[call-overload]
        if day > self._activity.get(key, ""):
            self._activity[key] = self._days.setdefault(day, day)
            self._dirty_activity = True

    def _on_change(self, table: str, doc: Doc) -> None:
        with self._lock:
            if not self._built:
                return
            self.unsaved = True
            if table == "customers":
                self._remove(int(doc["id"]))
                self._add(doc)
                self._dirty_text = self._dirty_activity = True
            elif table == "orders":
                self._touch(doc.get("customer_id"), doc.get("date"))
            elif table == "interactions":
                self._touch(doc.get("customer_id"), doc.get("at"))

    def _refresh(self) -> None:
        if not self._built:
            self.ensure_built()
        if self._dirty_text:
            self._vocab = sorted(self._postings)
            self._short_groups = {}
            self._sorted_codes = sorted(self._codes)
            self._vocab_blob = _Blob(enumerate(self._vocab))
            self._phone_blob = _Blob(self._phones.items())
            by_phone = sorted(self._phones.items(), key=itemgetter(1))
            self._phone_sorted = [phone for _, phone in by_phone]
            self._phone_sorted_ids = array("q", [cid for cid, _ in by_phone])
            self._email_blob = _Blob(self._emails.items())
            self._dirty_text = False
        if self._dirty_activity:
            # by day of last activity (orders carry no time), newest customer first within a day
            # two stable C-keyed sorts: (day, id) descending without a tuple per customer
            activity = self._activity
            recent = sorted(activity, reverse=True)
            recent.sort(key=activity.__getitem__, reverse=True)
            self._recent = recent
            self._rank = _Ranks(self._recent)
            self._dirty_activity = False

    # -- matching one word ---------------------------------------------------------------
    def _name_groups(self, word: str) -> Groups:
        if len(word) <= 2:  # a letter or two: the same big unions at every keystroke, kept
            found = self._short_groups.get(word)
            if found is None:
                found = self._short_groups[word] = self._match_name(word)
            return found
        return self._match_name(word)

    def _match_name(self, word: str) -> Groups:
        groups: Groups = []
        exact = self._postings.get(word)
        if exact:
            groups.append((EXACT, exact))
        lo = bisect_left(self._vocab, word)
        hi = bisect_left(self._vocab, word + "\uffff")
        prefix = [self._postings[tok] for tok in self._vocab[lo:hi] if tok != word]
        if prefix:
            groups.append((PREFIX, set().union(*prefix)))
        if len(word) >= 4:
            cutoff = 2 if len(word) >= 8 else 1
            near = process.extract(
                word, self._vocab, scorer=OSA.distance, score_cutoff=cutoff, limit=None
            )
            fuzzy = [self._postings[tok] for tok, dist, _ in near if dist > 0]
            if fuzzy:
                groups.append((FUZZY, set().union(*fuzzy)))
        if len(word) >= 3 and self._vocab_blob is not None:
            _, inside = self._vocab_blob.find(word)
            if inside:
                groups.append((SUBSTRING, set().union(*(self._postings[self._vocab[i]] for i in inside))))
        return groups

    def _code_groups(self, word: str) -> Groups:
        groups: Groups = []
        if word in self._codes:
            groups.append((CODE_EXACT, {self._codes[word]}))
        elif len(word) >= 3 and _HAS_DIGIT.search(word) and word[0].isalpha():
            hits = self._code_prefix(word)
            if hits:
                groups.append((CODE_PREFIX, hits))
        return groups

    def _code_prefix(self, word: str) -> set[int]:
        codes = self._sorted_codes
        lo = bisect_left(codes, word)
        hi = bisect_left(codes, word + "\uffff")
        return {self._codes[c] for c in codes[lo:min(hi, lo + 1000)]}

    def _phone_groups(self, digits: str) -> Groups:
        groups: Groups = []
        if self._phone_blob is not None and len(digits) >= 2:
            # exact and prefix hits off the sorted phones (two bisects, no pass over the blob)
            phones, owners = self._phone_sorted, self._phone_sorted_ids
            lo = bisect_left(phones, digits)
            mid = bisect_right(phones, digits, lo)
            hi = bisect_left(phones, digits + "\uffff", mid)
            exact, prefix = set(owners[lo:mid]), set(owners[mid:hi])
            if exact:
                groups.append((PHONE_EXACT, exact))
            if prefix:
                groups.append((PHONE_PREFIX, prefix))
            if len(digits) >= 3:
                _, inside = self._phone_blob.find(digits)
                if inside:
                    groups.append((PHONE_ANY, inside))
        # "09…"/"03…" (and "+84 9…", normalised to "09…") is how a Vietnamese phone starts, not
        # a customer code's number; codes with leading zeros ("00042") still match
        looks_like_phone = len(digits) >= 2 and digits[0] == "0" and digits[1] != "0"
        number = int(digits) if digits and len(digits) <= 9 and not looks_like_phone else None
        if number is not None:
            ids = self._code_number_ids(number)
            if ids:
                groups.append((CODE_EXACT, ids))
        return groups

    def _email_groups(self, word: str) -> Groups:
        if self._email_blob is None or len(word) < 2:
            return []
        prefix, inside = self._email_blob.find(word)
        hits = prefix | inside
        return [(EMAIL, hits)] if hits else []

    # -- queries -------------------------------------------------------------------------
    @staticmethod
    def parse(query: str) -> list[tuple[str, str]]:
        """Split a query into ("text", word) and ("phone", digits) parts."""
        parts: list[tuple[str, str]] = []
        pending: list[str] = []

        def flush() -> None:
            if pending:
                digits = normalize_phone(" ".join(pending))
                if digits:
                    parts.append(("phone", digits))
                pending.clear()

        for raw in query.split():
            if _PHONE_WORD.match(raw) and _HAS_DIGIT.search(raw):
                pending.append(raw)
                continue
            flush()
            word = fold(raw)
            if word:
                parts.append(("text", word))
        flush()
        return parts

    def _groups(self, kind: str, word: str) -> Groups:
        if kind == "phone":
            return self._phone_groups(word)
        groups = self._code_groups(word)
        if "@" in word:
            return groups + self._email_groups(word)
        groups += self._name_groups(word)
        if "." in word or not groups:  # "ltd." is a name's word as well as an e-mail's part
            groups += self._email_groups(word)
        return groups

    def search_ids(self, query: str, limit: int = 100, include_archived: bool = False) -> list[int]:
        """Ids of the best `limit` matches, best first; an empty query lists the most recent."""
        if self._closed:
            return []
        if not self._built and not query.strip() and not self._may_adopt:
            early = self._recent_while_loading(limit, include_archived)
            if early is not None:
                return early
        with self._lock:
            self._refresh()
            parts = self.parse(query)
            # every word's matches first, then scored from the word with the fewest (the sum of
            # weights does not depend on the order, and the first word's dict stays small)
            matched = sorted((self._groups(kind, word) for kind, word in parts),
                             key=lambda groups: sum(len(ids) for _, ids in groups))
            if len(matched) == 1:
                many = self._many_matches(matched[0], limit, include_archived)
                if many is not None:
                    return many
            if not parts:
                hidden = set() if include_archived else self._archived
                found = []
                for cid in self._recent:
                    if cid not in hidden and cid in self._names:
                        found.append(cid)
                        if len(found) >= limit:
                            break
                return found
            # score levels (score -> the customers with it), word by word: set operations in C
            # instead of a score per customer while thousands match
            levels: dict[int, set[int]] | None = None
            for groups in matched:
                if levels is not None:  # only the customers every word so far matched
                    universe = set().union(*levels.values())
                    groups = [(weight, ids & universe) for weight, ids in groups]
                word = _best_levels(groups)
                if levels is None:
                    levels = word
                else:
                    combined: dict[int, set[int]] = {}
                    for score, ids in levels.items():
                        for weight, more in word.items():
                            both = ids & more
                            if both:
                                total = score + weight
                                combined[total] = combined[total] | both if total in combined else both
                    levels = combined
                if not levels:
                    return []
            assert levels is not None
            if not include_archived:
                levels = {score: ids - self._archived for score, ids in levels.items()}
            folded = fold(query)
            if sum(map(len, levels.values())) <= 5000 and folded:
                # a name starting with the whole query moves up NAME_PREFIX_BONUS
                names = self._names.get
                bonus: dict[int, set[int]] = {}
                for score, ids in levels.items():
                    listed = list(ids)
                    starts = set(compress(listed, map(str.startswith, map(names, listed, repeat("")),
                                                      repeat(folded))))
                    if starts:
                        levels[score] = ids - starts
                        bonus[score + NAME_PREFIX_BONUS] = starts
                for score, ids in bonus.items():
                    levels[score] = levels[score] | ids if score in levels else ids
            ranked = [levels[score] for score in sorted(levels, reverse=True) if levels[score]]
            return self._rank_levels(ranked, limit)

    def _many_matches(self, groups: Groups, limit: int, include_archived: bool) -> list[int] | None:
        """A one-word query that matches more than 5000 customers (a letter, "09"), ranked as
        search_ids ranks it (best match, then recent activity, then id) without a score per
        customer: whole sets per match level, then the first `limit` of each in recent order.
        None when it matches fewer (the scored path then adds the name-prefix bonus)."""
        levels: dict[int, set[int]] = {}
        for weight, ids in groups:
            levels[weight] = levels[weight] | ids if weight in levels else set(ids)
        hidden = set() if include_archived else self._archived
        seen: set[int] = set()
        ranked: list[set[int]] = []
        for weight in sorted(levels, reverse=True):  # each customer counts at its best level
            level = levels[weight] - seen - hidden
            seen |= levels[weight]
            if level:
                ranked.append(level)
        if sum(map(len, ranked)) <= 5000:
            return None
        return self._rank_levels(ranked, limit)

    def _rank_levels(self, ranked: list[set[int]], limit: int) -> list[int]:
        """The first `limit` of disjoint sets, best set first, each in recent order (then by id)."""
        found: list[int] = []
        rank = self._rank.get
        for level in ranked:
            want = limit - len(found)
            if want <= 0:
                break
            if len(level) * 50 < len(self._recent):
                # stable: unranked customers (all at the same far rank) stay in id order
                found += heapq.nsmallest(want, sorted(level), key=self._rank.key(level))
                continue
            taken = 0
            for cid in self._recent:
                if cid in level:
                    found.append(cid)
                    taken += 1
                    if taken == want:
                        break
            if taken < want:  # the rest have no rank: by id
                far = self._rank.far
                found += sorted(c for c in level if rank(c) == far)[:want - taken]
        return found

    def search(self, query: str, limit: int = 100, include_archived: bool = False) -> list[Doc]:
        """The matching customer docs, best first (read-only: do not mutate them)."""
        found = []
        for cid in self.search_ids(query, limit, include_archived):
            doc = self._store.get("customers", cid)
            if doc is not None:
                found.append(doc)
        return found

    def _recent_while_loading(self, limit: int, include_archived: bool) -> list[int] | None:
        """The empty query's answer while another thread builds the index and the store is
        still loading its big tables: what the built index would list then (by created or
        updated day, activity not folded yet), read straight off the customers without
        waiting for the build. None when that does not hold."""
        if self._store.loaded():
            return None
        latest: list[tuple[str, int]] = []
        for doc in self._store.all("customers"):
            if not include_archived and doc.get("archived"):
                continue
            stamps = [str(s)[:10] for s in (doc.get("created_at"), doc.get("updated_at")) if s]
            latest.append((max(["", *stamps]), int(doc["id"])))
        return [cid for _, cid in heapq.nlargest(limit, latest)]

    def total(self, include_archived: bool = False) -> int:
        if self._built:  # no waiting for the lock while a build holds it
            with self._lock:
                return len(self._names) - (0 if include_archived else len(self._archived))
        return self._store.count("customers")

    def last_activity(self, customer_id: int) -> str:
        """ISO date of the customer's latest order, interaction or edit ("" if none)."""
        with self._lock:
            return self._activity.get(customer_id, "")
