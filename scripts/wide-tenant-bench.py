# One event per request against a tenant with many end users' wallets (issue 13: a hot path must not read every
# account of the tenant). Starts nothing: run a server first, with the bootstrap key below, e.g.
#   (cd "$(mktemp -d)" && TOLLGATE_BOOTSTRAP_KEY=tg_boot1234_abcdefabcdefabcdefabcdef tollgate serve --urls http://127.0.0.1:5292) &
#   python3 scripts/wide-tenant-bench.py 5292 5000 4000 8     # port, end-user wallets, events, client threads
# It creates the tenant 'wide' funded by the platform and one wallet per end user, then sends single events that the
# platform pays, and prints requests/s and latency percentiles (docs/benchmarks.md, fifth pass).
import http.client, json, sys, threading, time
port=int(sys.argv[1]); users=int(sys.argv[2]); n=int(sys.argv[3]); threads=int(sys.argv[4])
K='tg_boot1234_abcdefabcdefabcdefabcdef'
H={'Authorization':'Bearer '+K,'Content-Type':'application/json'}
def conn(): return http.client.HTTPConnection('127.0.0.1',port)
c=conn()
def post(c,path,body):
    c.request('POST',path,json.dumps(body),H); r=c.getresponse(); d=r.read(); return r.status,d
print(post(c,'/v1/tenants',{'id':'wide'})[0])
print(post(c,'/v1/tenants/wide/topups',{'id':'t0','kind':'recharge','unit':'credits','amount':1000000})[0])
t=time.time()
for i in range(users):
    s,d=post(c,'/v1/tenants/wide/topups',{'id':f'w{i}','kind':'recharge','unit':'credits','amount':1,'owner':f'user-{i}'})
    if s>=300: print(s,d); break
print('wallets',users,'in %.1fs'%(time.time()-t))
def ev(i): return {'id':f'e{i}-{time.time_ns()}','tenant':'wide','time':'2026-12-01T10:00:00Z','type':'llm_text','model':'GPT-4o-mini-128k','usage':{'input_tokens':100,'output_tokens':20}}
for i in range(200): post(c,'/v1/events',ev(i))   # warm-up
lat=[]; lock=threading.Lock(); errors=[0]
def work(k):
    cc=conn()
    for i in range(k, n, threads):
        t0=time.perf_counter(); s,d=post(cc,'/v1/events',ev(i)); dt=time.perf_counter()-t0
        with lock:
            lat.append(dt)
            if s!=200: errors[0]+=1
t=time.time(); ts=[threading.Thread(target=work,args=(k,)) for k in range(threads)]
[x.start() for x in ts]; [x.join() for x in ts]; el=time.time()-t
lat.sort(); print('single events: %d in %.2fs = %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d'%(n,el,n/el,lat[len(lat)//2]*1e3,lat[int(len(lat)*.99)]*1e3,errors[0]))
