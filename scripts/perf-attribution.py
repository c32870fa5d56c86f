# Where a process's CPU goes, by the first component found walking each sampled stack from its leaf (perf, not a
# thread-time profile: a thread waiting on the disk or a lock takes no samples). Made for the gateway server:
#   DOTNET_ReadyToRun=0 DOTNET_PerfMapEnabled=1 ... tollgate bench --mode gateway ...   (framework frames get names)
#   perf record -F 499 -g -p SERVER_PID -o server.data -- sleep 8
#   perf script -i server.data -F comm,tid,ip,sym,dso > server.script
#   python3 scripts/perf-attribution.py server.script [FRAME ...]   (FRAME: also the share of samples with it anywhere)
import collections, re, sys

COMPONENTS = [
    ('the JIT compiler', 'libclrjit'),
    ('SQLite (native)', 'libe_sqlite3'),
    ('Tollgate.Storage', 'Tollgate.Storage'),
    ('Microsoft.Data.Sqlite and SQLitePCL', ('Microsoft.Data.Sqlite', 'SQLitePCL')),
    ('Dapper', 'Dapper'),
    ('Tollgate.Core (rating, funding)', 'Tollgate.Core'),
    ('Microsoft.ML.Tokenizers', 'Tokenizers'),
    ('Tollgate.Gateway', 'Tollgate.Gateway'),
    ('Tollgate.Server', 'Tollgate.Server'),
    ('prometheus-net', 'Prometheus'),
    ('System.Text.Json', 'System.Text.Json'),
    ('HttpClient', 'System.Net.Http'),
    ('ASP.NET Core and Kestrel', 'Microsoft.AspNetCore'),
    ('System.Net.Sockets', 'System.Net.Sockets'),
    ('thread pool and tasks', 'System.Threading'),
]

samples, stack = [], None
for line in open(sys.argv[1], errors='replace'):
    if not line.strip():
        if stack is not None:
            samples.append(stack)
        stack = None
    elif not line.startswith('\t'):
        stack = []
    elif stack is not None:
        stack.append(line.strip())
if stack is not None:
    samples.append(stack)

shares = collections.Counter()
for frames in samples:
    found = next((name for frame in frames for name, marks in COMPONENTS
                  if any(m in frame for m in ((marks,) if isinstance(marks, str) else marks))), None)
    if found is None:
        leaf = frames[0] if frames else '?'
        found = 'kernel only' if 'kernel' in leaf else 'other: ' + re.sub(r'.*\(', '(', leaf)[:60]
    shares[found] += 1

total = len(samples)
print(f'{total} samples')
for name, count in shares.most_common():
    print(f'{100 * count / total:5.1f}% {name}')
for frame in sys.argv[2:]:
    count = sum(1 for frames in samples if any(frame in f for f in frames))
    print(f'{100 * count / total:5.1f}% with {frame} on the stack')
