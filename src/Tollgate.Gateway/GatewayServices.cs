using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Tollgate.Gateway.Charging;
using Tollgate.Gateway.Keys;
using Tollgate.Gateway.Upstreams;
using Tollgate.Storage.Alerts;
using Tollgate.Storage.Ledger;
using Tollgate.Storage.Sql;

namespace Tollgate.Gateway;

/// <summary>
/// What the gateway's endpoints share, made from the host's store, ledger and clock: the gateway needs nothing
/// registered of its own, so a host maps it with one call.
/// </summary>
public sealed class GatewayServices
{
    public GatewayServices(IServiceProvider host, GatewayOptions options)
    {
        var dialect = host.GetRequiredService<SqlDialect>();
        var clock = host.GetRequiredService<IClock>();
        var logs = host.GetRequiredService<ILoggerFactory>();
        Options = options;
        Ledger = host.GetRequiredService<LedgerStore>();
        Keys = new GatewayKeyStore(dialect, clock);
        Limits = new KeyLimits(dialect, clock, Ledger);
        UserBudgets = new UserBudgetStore(dialect);
        Charger = new CallCharger(Ledger, Limits, clock, options, logs.CreateLogger<CallCharger>())
        {
            UserBudgets = UserBudgets,
            Alerts = host.GetService<AlertStore>(),
        };
        Upstreams = new UpstreamCaller(options, logs.CreateLogger<UpstreamCaller>());
    }

    public GatewayOptions Options { get; }

    public LedgerStore Ledger { get; }

    public GatewayKeyStore Keys { get; }

    public KeyLimits Limits { get; }

    public UserBudgetStore UserBudgets { get; }

    public CallCharger Charger { get; }

    public UpstreamCaller Upstreams { get; }
}
