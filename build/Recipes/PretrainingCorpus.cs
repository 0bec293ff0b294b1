namespace LoraBuild.Recipes;

/// <summary>
/// A small English corpus from a phrase grammar about shops, deliveries and everyday life, support tickets as
/// plain prose, prose about instructions and tasks (the words of the Alpaca prompt template, as a web corpus would
/// have them), and small JSON records, so the base model knows the words and the JSON syntax — but it never sees a
/// ticket mapped to a JSON answer.
/// </summary>
internal static class PretrainingCorpus
{
    private static readonly IReadOnlyList<string> Subjects =
        ["the customer", "a courier", "the shop", "my neighbour", "the team", "our warehouse", "a student", "the manager", "the driver", "my sister"];

    private static readonly IReadOnlyList<string> Verbs =
        ["packed", "ordered", "returned", "delivered", "checked", "repaired", "cleaned", "sold", "carried", "described"];

    private static readonly IReadOnlyList<string> Objects =
        ["a parcel", "the kettle", "two boxes", "a new lamp", "the invoice", "a small table", "the old bike", "a blue jacket", "the receipt", "some books"];

    private static readonly IReadOnlyList<string> Times =
        ["on monday", "this morning", "after lunch", "last week", "in the evening", "yesterday", "before noon", "on friday"];

    private static readonly IReadOnlyList<string> Reasons =
        ["because it was raining", "while the store was busy", "although nobody asked", "so that everyone was happy", "when the van arrived", "after the call"];

    public static IEnumerable<string> Documents(int count, ulong seed)
    {
        var random = new SeededRandom(seed);
        for (var i = 0; i < count; i++)
        {
            var kind = random.Next(20);
            yield return kind switch
            {
                < 5 => TicketProse(random),
                < 7 => InstructionProse(random),
                < 9 => JsonRecord(random),
                < 12 => OrderLog(random),
                < 14 => RepeatedCodes(random),
                _ => Story(random),
            };
        }
    }

    private static string Story(SeededRandom random)
    {
        var sentences = new List<string>();
        var length = 2 + random.Next(4);
        for (var s = 0; s < length; s++)
        {
            var sentence = $"{random.Pick(Subjects)} {random.Pick(Verbs)} {random.Pick(Objects)} {random.Pick(Times)}";
            if (random.Chance(0.4))
            {
                sentence += " " + random.Pick(Reasons);
            }

            if (random.Chance(0.2))
            {
                sentence += $", and it cost {1 + random.Next(99)} dollars";
            }

            sentences.Add(char.ToUpperInvariant(sentence[0]) + sentence[1..] + ".");
        }

        return string.Join(" ", sentences);
    }

    private static readonly IReadOnlyList<string> InstructionSentences =
    [
        "Below is an instruction that describes a task.",
        "Below is an instruction that describes a task, paired with an input that provides further context.",
        "Write a response that appropriately completes the request.",
        "The instruction asks you to classify the message.",
        "Read the input and write a short response.",
        "Extract the order number from the support ticket.",
        "Answer with a short sentence.",
        "The response should answer the question in the input.",
        "Each task has an instruction, an input and a response.",
        "A good answer appropriately completes the request.",
        "The ticket provides further context for the task.",
        "Classify each support ticket by its category.",
    ];

    private static string InstructionProse(SeededRandom random) =>
        string.Join(" ", Enumerable.Range(0, 2 + random.Next(3)).Select(_ => random.Pick(InstructionSentences)));

    private static readonly IReadOnlyList<string> JsonKeys = ["category", "order", "name", "status", "city", "price", "item", "id"];

    private static readonly IReadOnlyList<string> JsonWords =
        ["damaged", "late", "refund", "wrong_item", "billing", "open", "closed", "paris", "berlin", "kettle", "lamp", "blue", "new"];

    /// <summary>A JSON object of one to three fields, in the one-line style of an API log.</summary>
    private static string JsonRecord(SeededRandom random)
    {
        var fields = Enumerable.Range(0, 1 + random.Next(3))
            .Select(_ => random.Pick(JsonKeys))
            .Distinct()
            .Select(key => random.Chance(0.4)
                ? $"\"{key}\": {(10000 + random.Next(90000)).ToString(System.Globalization.CultureInfo.InvariantCulture)}"
                : $"\"{key}\": \"{random.Pick(JsonWords)}\"");
        return "{" + string.Join(", ", fields) + "}";
    }

    private static readonly IReadOnlyList<string> OrderEvents =
        ["was packed", "left the warehouse", "was delivered", "was cancelled", "was paid", "was returned"];

    /// <summary>A log line in prose, then the same order as a JSON record: numbers carried from text into JSON.</summary>
    private static string OrderLog(SeededRandom random)
    {
        var order = (10000 + random.Next(90000)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var status = random.Pick(JsonWords);
        return random.Chance(0.5)
            ? $"Order {order} {random.Pick(OrderEvents)} {random.Pick(Times)}. {{\"order\": {order}, \"status\": \"{status}\"}}"
            : $"Order {order} {random.Pick(OrderEvents)} {random.Pick(Times)}, and order {order} is now {status}.";
    }

    /// <summary>
    /// Reference numbers read out and then repeated: pure copying, the skill (an induction circuit) a small model
    /// otherwise learns late, and the one an adapter needs to carry an order number into its answer.
    /// </summary>
    private static string RepeatedCodes(SeededRandom random)
    {
        var codes = Enumerable.Range(0, 1 + random.Next(3))
            .Select(_ => (10000 + random.Next(90000)).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        var repeated = random.Chance(0.5) ? codes : [.. codes.AsEnumerable().Reverse()];
        return $"The reference numbers are {string.Join(", ", codes)}. Once more: {string.Join(", ", repeated)}.";
    }

    private static string TicketProse(SeededRandom random)
    {
        var ticket = SupportTickets.Create(random);
        // Naming the order again later in the document is what teaches the model to copy an earlier number, and naming
        // the kind of problem in words gives it the concepts; it still never sees the SupportTriage prompt or answer.
        return random.Next(3) switch
        {
            0 => $"A customer wrote to support: \"{ticket.Text}\" The agent looked up order {ticket.Order} and replied the same day.",
            1 => $"Message about order {ticket.Order}: \"{ticket.Text}\" The agent read the message and closed the case.",
            _ => $"A customer wrote: \"{ticket.Text}\" The agent filed order {ticket.Order} under {ticket.Category.Replace('_', ' ')}.",
        };
    }
}
