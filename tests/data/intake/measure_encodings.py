"""Measure how a non-UTF-8 CSV's encoding is guessed: GBK exports against Latin-1 and
Windows-1252 ones, of 1 to 3,000 rows (the numbers are in docs/intake.md).

    python3 dev.py python tests/data/intake/measure_encodings.py

"before" is the rule staffcheck had (UTF-8, else GB18030 if it decodes the first 64 KiB, else
UTF-8 with the bad lines rejected); "now" is `staffcheck.tables` as it is.
"""

from __future__ import annotations

import codecs
import random
import time

from staffcheck.columns import Vocabulary
from staffcheck.knowledge import load_knowledge
from staffcheck.sources import _is_header
from staffcheck.tables import _encoding

rng = random.Random(11)
IS_HEADER = _is_header(Vocabulary(load_knowledge()))  # the header test a CSV is read with
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # fmt: skip
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉玲燕文建国飞鑫波宇浩凯健俊帆帅旭宁龙林欢佳阳晨瑶雪婷琳"  # fmt: skip
POSTS = ["淘宝运营", "SEO专员", "直通车推广", "内容运营", "软文写手", "客服主管"]
CHANNELS = ["淘宝", "天猫", "百度", "抖音", "小红书", "京东"]
FIRST = ["José", "Müller", "François", "Zoë", "Søren", "Ángel", "Björn", "Inês", "André", "Chloé",
         "Jürgen", "Noël", "Raúl", "Gaëlle", "Sébastien", "Håkon", "Renée", "Günter"]  # fmt: skip
PLAIN = ["Anna", "Mark", "Paul", "Laura", "Tom", "Sara", "Luca", "Eva", "Max", "Nina"]
LAST = ["García", "Müller", "Dupré", "Østergaard", "Peña", "Köhler", "Brontë", "Núñez",
        "Lefèvre", "Smith", "Rossi", "Jansen", "Straße", "Ribeiro"]  # fmt: skip
NOTES = ["“good” fit", "called – no answer", "€ 3,500 expected", "très bien", "¿remote?",
         "naïve copy", "Größe ok", "", "", ""]  # fmt: skip


def gbk(rows: int) -> bytes:
    lines = ["编号,姓名,应聘岗位,工作年限,渠道,手机,seo\n"]
    for i in range(rows):
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        lines.append(f"g-{i},{name},{rng.choice(POSTS)},{rng.randint(0, 9)}年,"
                     f"{rng.choice(CHANNELS)};{rng.choice(CHANNELS)},138{rng.randint(10**7, 10**8 - 1)},"
                     f"{rng.randint(0, 5)}\n")  # fmt: skip
    return "".join(lines).encode("gbk")


def gbk_sparse(rows: int) -> bytes:
    """English headers and ids: only the names are Chinese (the least for a guess to go on)."""
    lines = ["id,name,applying_for,seo\n"]
    lines += [f"g-{i},{rng.choice(SURNAMES)}{rng.choice(GIVEN)},seo-specialist,{rng.randint(0, 5)}\n"
              for i in range(rows)]  # fmt: skip
    return "".join(lines).encode("gbk")


def western(rows: int, codec: str) -> bytes:
    lines = ["id,name,applying_for,notes,seo\n"]
    for i in range(rows):
        first = rng.choice(FIRST) if rng.random() < 0.7 else rng.choice(PLAIN)
        notes = NOTES if codec == "cp1252" else [n for n in NOTES if not set(n) & set("“”–€")]
        lines.append(f'e-{i},{first} {rng.choice(LAST)},seo-specialist,"{rng.choice(notes)}",'
                     f"{rng.randint(0, 5)}\n")  # fmt: skip
    return "".join(lines).encode(codec)


def one_accent(rows: int) -> bytes:
    lines = ["id,name,applying_for,seo\n"]
    lines += [f"e-{i},{rng.choice(PLAIN)} Smith,seo-specialist,3\n" for i in range(rows)]
    lines[rows // 2 + 1] = "e-x,José Smith,seo-specialist,3\n"
    return "".join(lines).encode("latin-1")


def before(head: bytes, at_end: bool) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=at_end)
        except UnicodeDecodeError:
            continue
        return encoding
    return "utf-8"


FAMILY = {"gb18030": "gbk", "cp1252": "western"}


def main() -> None:
    print(f"{'sample':24} {'files':>5} {'before':>6} {'now':>4} {'now, ms (max)':>13}")
    for rows in (1, 3, 10, 50, 300, 3000):
        samples = {
            "gbk": ("gbk", lambda n=rows: gbk(n)),
            "gbk-names-only": ("gbk", lambda n=rows: gbk_sparse(n)),
            "latin-1": ("western", lambda n=rows: western(n, "latin-1")),
            "windows-1252": ("western", lambda n=rows: western(n, "cp1252")),
            "latin-1-one-accent": ("western", lambda n=rows: one_accent(max(n, 2))),
        }
        for label, (truth, make) in samples.items():
            right_before = right_now = 0
            times = []
            for _ in range(5):
                head = make()[: 64 * 1024]
                at_end = len(head) < 64 * 1024
                right_before += FAMILY.get(before(head, at_end)) == truth
                started = time.perf_counter()
                right_now += (
                    FAMILY.get(_encoding(head, at_end=at_end, is_header=IS_HEADER)) == truth
                )
                times.append(time.perf_counter() - started)
            print(f"{label + f' ×{rows}':24} {5:5} {right_before:6} {right_now:4} "
                  f"{max(times) * 1000:13.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
