import HavenDesk

/// A page handler: the request as values and the signed-in person's desk.
public typealias DeskHandler = @Sendable (DeskRequest, Desk) async -> DeskResponse

/// The signed-in pages by method and path pattern (`/records/:id/notes`). Every route here
/// is reached only by an unlocked session, and a POST only with its CSRF token and Origin:
/// the front checks both before it looks a route up.
public struct DeskRoutes: Sendable {
    struct Route: Sendable {
        let method: DeskRequest.Method
        let parts: [Substring]
        let handler: DeskHandler
    }

    private(set) var routes: [Route] = []

    public init() {}

    public mutating func get(_ pattern: String, _ handler: @escaping DeskHandler) {
        routes.append(Route(method: .get, parts: pattern.split(separator: "/"), handler: handler))
    }

    public mutating func post(_ pattern: String, _ handler: @escaping DeskHandler) {
        routes.append(Route(method: .post, parts: pattern.split(separator: "/"), handler: handler))
    }

    /// The route whose pattern matches with the fewest `:name` parts (so `/records/new` wins
    /// over `/records/:id` whatever the order they were added in), with those parts.
    public func match(_ method: DeskRequest.Method, _ path: String) -> (handler: DeskHandler, parameters: [String: String])? {
        best(method, path).map { ($0.route.handler, $0.parameters) }
    }

    /// The pattern a path matches (`/records/:id`), for the log: it never shows the ids.
    public func pattern(_ method: DeskRequest.Method, _ path: String) -> String? {
        best(method, path).map { "/" + $0.route.parts.joined(separator: "/") }
    }

    private func best(_ method: DeskRequest.Method, _ path: String) -> (route: Route, parameters: [String: String])? {
        let parts = path.split(separator: "/")
        var best: (route: Route, parameters: [String: String])?
        for route in routes where route.method == method && route.parts.count == parts.count {
            var parameters: [String: String] = [:]
            var matched = true
            for (pattern, part) in zip(route.parts, parts) {
                if pattern.first == ":" {
                    parameters[String(pattern.dropFirst())] = String(part)
                } else if pattern != part {
                    matched = false
                    break
                }
            }
            if matched, best == nil || parameters.count < best!.parameters.count { best = (route, parameters) }
        }
        return best
    }
}
