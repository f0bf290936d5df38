/** "1 person", "1,204 people": a count of people as every page writes it. */
export const peopleCount = (n: number): string => `${n.toLocaleString('en-US')} ${n === 1 ? 'person' : 'people'}`;
