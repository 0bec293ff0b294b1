namespace LoraBuild.Recipes;

/// <summary>
/// Synthetic customer-support tickets. Each has a category and an order number hidden in free text; the
/// SupportTriage task maps the text to <c>{"category": "...", "order": 12345}</c>.
/// </summary>
internal static class SupportTickets
{
    public static readonly IReadOnlyList<string> Categories = ["damaged", "late", "refund", "wrong_item", "billing"];

    private static readonly IReadOnlyList<string> Products =
        ["kettle", "desk lamp", "backpack", "phone case", "coffee grinder", "rain jacket", "keyboard", "blender", "yoga mat", "headphones", "water bottle", "toaster"];

    private static readonly IReadOnlyList<string> Greetings = ["Hi,", "Hello,", "Hey there,", "Good morning,", "Dear support,", ""];

    private static readonly IReadOnlyList<string> Closings = ["Thanks.", "Thank you!", "Please help.", "Regards.", "Cheers.", ""];

    private static readonly Dictionary<string, IReadOnlyList<string>> Complaints = new()
    {
        ["damaged"] =
        [
            "my {product} from order {order} arrived broken.",
            "the {product} in order {order} was cracked when I opened the box.",
            "order {order} came today but the {product} is damaged.",
            "the box for order {order} was crushed and the {product} inside does not work.",
        ],
        ["late"] =
        [
            "my order {order} still has not arrived.",
            "where is order {order}? The {product} was due last week.",
            "order {order} is late and tracking has not moved for days.",
            "I am still waiting for the {product} from order {order}.",
        ],
        ["refund"] =
        [
            "I would like my money back for order {order}.",
            "please refund order {order}, I no longer need the {product}.",
            "I returned the {product} from order {order} and want a refund.",
            "can I get a refund for the {product}? The order number is {order}.",
        ],
        ["wrong_item"] =
        [
            "I ordered a {product} but order {order} contained a {other}.",
            "order {order} has the wrong item: a {other} instead of a {product}.",
            "you sent me a {other} in order {order}, I wanted a {product}.",
            "the package for order {order} had someone else's {other} in it.",
        ],
        ["billing"] =
        [
            "I was charged twice for order {order}.",
            "the invoice for order {order} shows the wrong price for the {product}.",
            "my card was billed for order {order} but I cancelled it.",
            "why was I charged extra for the {product} in order {order}?",
        ],
    };

    public static Ticket Create(SeededRandom random, string? category = null)
    {
        category ??= random.Pick(Categories);
        var order = (10000 + random.Next(90000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var product = random.Pick(Products);
        string other;
        do
        {
            other = random.Pick(Products);
        }
        while (other == product);

        var complaint = random.Pick(Complaints[category])
            .Replace("{order}", order, StringComparison.Ordinal)
            .Replace("{product}", product, StringComparison.Ordinal)
            .Replace("{other}", other, StringComparison.Ordinal);
        var greeting = random.Pick(Greetings);
        var opening = greeting.Length == 0 ? Capitalize(complaint) : $"{greeting} {complaint}";
        var text = $"{opening} {random.Pick(Closings)}".Trim();
        return new Ticket(text, category, order);
    }

    private static string Capitalize(string sentence) => char.ToUpperInvariant(sentence[0]) + sentence[1..];
}

internal sealed record Ticket(string Text, string Category, string Order)
{
    // The order is a JSON number: written after ": " it is the same byte-level BPE tokens as " 48110" in the ticket, so
    // the answer copies tokens rather than re-spelling a number that a quote before it would tokenize differently.
    public string Answer => $"{{\"category\": \"{Category}\", \"order\": {Order}}}";
}
