# Top frames of a dotnet-trace sampled-thread-time profile converted to speedscope (issue 13), waits left out:
#   dotnet dotnet-trace convert server.nettrace --format speedscope -o server
#   python3 scripts/profile-top-frames.py server.speedscope.json 30 400
import json,sys,collections,re
d=json.load(open(sys.argv[1]))
frames=[f['name'] for f in d['shared']['frames']]
idle=('WaitForSignal','Monitor.Wait','WaitOneNoCheck','ManualResetEventSlim.Wait','Interop+Sys.Read','SocketAsyncEngine.EventLoop','TimerQueue.TimerThread','Thread.Sleep','ManifestBuilder','GateThreadStart','Heartbeat','ProcessLogQueue','WaitHandle','Interop+Sys.WaitForSocketEvents','LowLevelLifoSemaphore')
incl=collections.Counter(); excl=collections.Counter(); total=0
def short(n):
    n=re.sub(r'\(.*','',n); n=n.split('!',1)[-1]; return n[-100:]
for p in d['profiles']:
    stack=[];last=None
    evs=p.get('events',[])
    for ev in evs:
        if last is not None and stack:
            names=[frames[i] for i in stack]; w=ev['at']-last
            if not any(any(k in n for k in idle) for n in names):
                total+=w
                leaf=[n for n in names if n not in ('UNMANAGED_CODE_TIME','CPU_TIME')]
                excl[short(leaf[-1])+(' [native]' if names[-1]=='UNMANAGED_CODE_TIME' else '')]+=w
                for n in set(short(x) for x in names): incl[n]+=w
        last=ev['at']
        if ev['type']=='O': stack.append(ev['frame'])
        else: stack.pop()
print('busy thread time (ms)', round(total))
print('--- exclusive (deepest managed frame)'); [print(f'{100*w/total:5.1f}% {n}') for n,w in excl.most_common(int(sys.argv[2]))]
print('--- inclusive'); [print(f'{100*w/total:5.1f}% {n}') for n,w in incl.most_common(int(sys.argv[3])) if 'Tollgate' in n or 'Sqlite' in n or 'Dapper' in n or 'Json' in n or 'Kestrel' in n or 'Npgsql' in n]
