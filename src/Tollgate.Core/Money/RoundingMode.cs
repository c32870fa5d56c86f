namespace Tollgate.Core.Money;

/// <summary>How a charge total is rounded to its settlement scale.</summary>
public enum RoundingMode
{
    /// <summary>Half away from zero: 0.125 -> 0.13 at scale 2. The default.</summary>
    HalfUp,

    /// <summary>Banker's rounding: 0.125 -> 0.12 at scale 2.</summary>
    HalfEven,

    /// <summary>Always up to the next unit of the scale (in the customer's disfavour).</summary>
    Up,

    /// <summary>Always down (truncate): in the customer's favour.</summary>
    Down,
}
