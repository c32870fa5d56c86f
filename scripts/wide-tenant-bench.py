# Hot paths against a tenant with many end users' wallets (issue 13: no hot statement may read every account of the
# tenant). Starts nothing: run a server first, with the bootstrap key below, e.g.
#   (cd "$(mktemp -d)" && TOLLGATE_BOOTSTRAP_KEY=tg_boot1234_abcdefabcdefabcdefabcdef tollgate serve --urls http://127.0.0.1:5292) &
#   python3 scripts/wide-tenant-bench.py 5292 5000 4000 8 wide     # port, end-user wallets, calls, client threads, tenant
# It creates the tenant, funded by the platform, and one wallet per end user; then it sends single events the platform
# pays, single events naming an end user as subject, and reserve+settle pairs, and prints the rate and latency of each.
# Run it with 0 wallets and another tenant name for the comparison (docs/benchmarks.md, fifth pass).
import http.client, json, sys, threading, time

port, users, n, threads = (int(a) for a in sys.argv[1:5])
tenant = sys.argv[5] if len(sys.argv) > 5 else 'wide'
H = {'Authorization': 'Bearer tg_boot1234_abcdefabcdefabcdefabcdef', 'Content-Type': 'application/json'}


def conn():
    return http.client.HTTPConnection('127.0.0.1', port)


def post(c, path, body):
    c.request('POST', path, json.dumps(body), H)
    r = c.getresponse()
    return r.status, r.read()


c = conn()
post(c, '/v1/tenants', {'id': tenant})
post(c, f'/v1/tenants/{tenant}/topups', {'id': 't0', 'kind': 'recharge', 'unit': 'credits', 'amount': 1000000})
started = time.time()
for i in range(users):
    post(c, f'/v1/tenants/{tenant}/topups', {'id': f'w{i}', 'kind': 'recharge', 'unit': 'credits', 'amount': 1, 'owner': f'user-{i}'})
print(f'{tenant}: {users} end-user wallets in {time.time() - started:.1f}s')


def event(i, subject=None):
    e = {'id': f'e{i}-{time.time_ns()}', 'tenant': tenant, 'time': '2026-12-01T10:00:00Z', 'type': 'llm_text',
         'model': 'GPT-4o-mini-128k', 'usage': {'input_tokens': 100, 'output_tokens': 20}}
    if subject is not None:
        e['subject'] = subject
    return e


def run(name, call):
    latencies, errors, lock = [], [0], threading.Lock()

    def work(k):
        cc = conn()
        for i in range(k, n, threads):
            t0 = time.perf_counter()
            ok = call(cc, i)
            with lock:
                latencies.append(time.perf_counter() - t0)
                errors[0] += 0 if ok else 1

    t0 = time.time()
    workers = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    [w.start() for w in workers]
    [w.join() for w in workers]
    elapsed = time.time() - t0
    latencies.sort()
    print(f'{tenant} {name}: {n} in {elapsed:.2f}s = {n / elapsed:.0f}/s, p50 {latencies[len(latencies) // 2] * 1e3:.2f} ms, '
          f'p99 {latencies[int(len(latencies) * .99)] * 1e3:.2f} ms, errors {errors[0]}')


def reserve_settle(cc, i):
    hold = f'h{i}-{time.time_ns()}'
    held, _ = post(cc, f'/v1/tenants/{tenant}/reservations', {'id': hold, 'amount': 1, 'unit': 'credits'})
    e = event(i)
    e['id'] = hold
    settled, _ = post(cc, f'/v1/tenants/{tenant}/reservations/{hold}/settle', {'event': e})
    return held == 201 and settled == 200


for i in range(200):
    post(c, '/v1/events', event(i))  # warm-up
run('single events, the platform pays', lambda cc, i: post(cc, '/v1/events', event(i))[0] == 200)
run('single events naming an end user', lambda cc, i: post(cc, '/v1/events', event(i, f'user-{i % max(users, 1)}'))[0] == 200)
run('reserve+settle pairs', reserve_settle)
