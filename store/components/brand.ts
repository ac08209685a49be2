/** The shop's name, shown in the header and page titles. */
export const shopName = "SWElite Store";
