using Tollgate.Client.Contracts;
using Tollgate.Server.Hosting;

namespace Tollgate.Server.Tests;

/// <summary>
/// Single events and small batches recorded at the same moment share one transaction (one fsync), through real HTTP:
/// each request keeps its own results, in order, a batch stays whole, and an id sent by two requests of one group is
/// charged once.
/// </summary>
public sealed class RecordQueueTests
{
    [Fact]
    public async Task SmallBatchesAndEventsArrivingDuringACommit_ShareTheNextTransaction_EachWithItsOwnResults()
    {
        await using var server = await TestServer.StartAsync();
        await Samples.FundedTenantAsync(server, "acme", 1000m);
        var (before, beforeEvents) = (server.Records.Commits, server.Records.Events);

        // SQLite's one writer is held until every request is queued: they can only be written together after it.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = server.Store.Writes.WriteAsync("acme", async _ => { await gate.Task; return 0; });
        var batches = Enumerable.Range(0, 20)
            .Select(b => (IReadOnlyList<UsageEvent>)[.. Enumerable.Range(0, (b % 4) + 1).Select(i => Samples.Llm($"b{b}-{i}", "acme"))])
            .ToList();
        batches[5] = [Samples.Llm("b5-0", "acme"), Samples.Llm("b3-0", "acme")]; // b3-0 again, as it was sent: a repeat
        batches[6] = [Samples.Llm("b6-0", "acme"), Samples.Llm("b3-1", "acme", input: 2000)]; // b3-1 with another body: a conflict
        var batchCalls = batches.Select(b => server.Operator.RecordBatchAsync(b)).ToList();
        var singleCalls = Enumerable.Range(0, 5).Select(i => server.Operator.RecordAsync(Samples.Llm($"one-{i}", "acme"))).ToList();
        var queued = batches.Sum(b => b.Count) + 5;

        // The queue's first group (whatever it took before it found the writer busy) waits; the rest queues behind it,
        // until every request has arrived: the count reaches all of them, or stays put for a second.
        var (seen, since) = (server.Records.Depth, DateTime.UtcNow);
        while (seen < queued && DateTime.UtcNow - since < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(20);
            if (server.Records.Depth != seen)
            {
                (seen, since) = (server.Records.Depth, DateTime.UtcNow);
            }
        }

        gate.SetResult();
        await blocker;
        var results = await Task.WhenAll(batchCalls);
        var singles = await Task.WhenAll(singleCalls);

        // Twenty-five requests in two transactions (what the queue took before it found the writer busy, then everything
        // else), or a few more if a busy machine delivered some late; not one each.
        Assert.InRange(server.Records.Commits - before, 1, 5);
        Assert.Equal(queued, server.Records.Events - beforeEvents);
        for (var b = 0; b < batches.Count; b++)
        {
            Assert.Equal(batches[b].Select(e => e.Id), results[b].Results.Select(r => r.Id));
        }

        // Whichever request of the group came first charged b3-0 and b3-1; the other answers a repeat, or a conflict.
        var sent = results.SelectMany(r => r.Results).ToList();
        Assert.Equal([false, true], sent.Where(r => r.Id == "b3-0").Select(r => r.Duplicate).Order());
        Assert.All(sent.Where(r => r.Id == "b3-0"), r => Assert.Equal("charged", r.Status));
        Assert.Equal(["charged", "rejected"], sent.Where(r => r.Id == "b3-1").Select(r => r.Status).Order());
        Assert.Equal("idempotency_conflict", sent.Single(r => r.Id == "b3-1" && r.Status == "rejected").Error?.Code);
        Assert.All(singles, r => Assert.Equal("charged", r.Status));
        var charged = results.Sum(r => r.Charged) + singles.Length;
        Assert.Equal(batches.Sum(b => b.Count) - 2 + 5, charged);

        // Every event is charged once (b3-1 costs more with its 2,000 input tokens, whichever request charged it), and
        // each answer lists the balance its own transaction left: the last one's is what is left now.
        var spent = sent.Concat(singles).Where(r => r.Status == "charged" && !r.Duplicate).Sum(r => r.Amount);
        var recharge = (await server.Operator.GetBalancesAsync("acme")).Accounts.Single(a => a.Kind == "recharge");
        Assert.Equal(1000m - spent, recharge.Available);
        var answered = singles.Select(r => r.Balances!.Single(a => a.Kind == "recharge").Available).ToList();
        Assert.All(answered, a => Assert.True(a >= recharge.Available));
        Assert.Contains(recharge.Available, answered.Concat(sent.Where(r => r.Status == "charged").Select(r => r.Balances!.Single(a => a.Kind == "recharge").Available)));
        Assert.True((await server.Store.CheckAsync()).Clean);
    }
}
