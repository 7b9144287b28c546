"""CPU time per post of framing scoring, which the machine's load disturbs less than wall time.

One mode per call, in a fresh process: ``raw`` (raw texts, default
options), ``cleaned`` (``cleaned=True``, texts cleaned beforehand and not
timed) or ``cleaned-2jobs`` (plus ``n_jobs=2``); CPU is user plus system
time of the process and its workers.  On a 2-core machine with nothing else
running, 2 / ``cpu_ms_per_post`` x 1000 bounds the posts/s of two workers.

Usage::

    PYTHONPATH=CODE .venv/bin/python benchmarks/framing_cpu.py CODE 10000 cleaned
"""
import sys, time, os, resource, json
code, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, code)
sys.path.insert(1, str(__import__("pathlib").Path(__file__).resolve().parents[1]))
from benchmarks.framing_speed import _posts
from analysis.framing import score_framing
posts=_posts(n)
texts = (posts["title"].fillna("") + "\n\n" + posts["text"]).tolist()
langs = posts["language"].tolist()
score_framing(texts[:5], language=langs[:5])
kw={}
if mode.startswith("cleaned"):
    from analysis.framing.io import split_text
    texts=["\n\n".join(split_text(t)) for t in texts]; kw["cleaned"]=True
if mode.endswith("2jobs"): kw["n_jobs"]=2
def cpu():
    a=resource.getrusage(resource.RUSAGE_SELF); b=resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime+a.ru_stime+b.ru_utime+b.ru_stime
l0=os.getloadavg()[0]; c0=cpu(); t=time.perf_counter()
score_framing(texts, language=langs, **kw)
dt=time.perf_counter()-t; dc=cpu()-c0
print(json.dumps({"code": code, "n": n, "mode": mode, "wall_s": round(dt,2), "posts_s": round(n/dt,1), "cpu_s": round(dc,2), "cpu_ms_per_post": round(1000*dc/n,3), "posts_per_cpu_s": round(n/dc,1), "load_1min": round(l0,2), "load_1min_end": round(os.getloadavg()[0],2)}))
